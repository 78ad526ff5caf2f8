//! Spreadsheet round trips: export → import is lossless, and import takes what spreadsheets really write (BOM, CRLF, `;`, tab, any column order, ExifTool names).

use std::path::{Path, PathBuf};

use cutline::commands::export::{self, Layout};
use cutline::commands::import::{self, Source};
use cutline::commands::{Command, Outcome, run};
use cutline::manifest::{self, Item, Manifest};
use serde_json::json;

fn sample() -> Manifest {
    let mut m = Manifest::new();
    m.root = Some("media".into());
    let mut a = Item::new("harbor/boats-at-dawn.jpg");
    a.sha256 = Some("41ab000000000000000000000000000000000000000000000000000000000000".into());
    a.size = Some(81_234);
    a.caption = Some("Fishing boats leave Ullapool, \"at dawn\";\nsecond line.".into());
    a.credit = Some("Jane Doe/Northern Wire".into());
    a.spelling.insert(manifest::Field::Credit, "creditLine");
    a.creator = vec!["Jane Doe".into(), "John Roe".into()];
    a.copyright = Some("© 2024 Northern Wire".into());
    a.date = Some("2024-05-03".into());
    a.alt = Some("Three boats.".into());
    a.extra
        .insert("desk_note".into(), json!("Cleared, with thanks"));
    a.extra.insert("rank".into(), json!(3));
    a.extra
        .insert("layout".into(), json!({"col": 2, "wide": true}));
    let mut b = Item::new("city/night-market-lanterns.jpg");
    b.caption = Some("Shoppers at the Riverside Night Market, Copenhagen.".into());
    b.credit = Some("Søren Østergaard/Nordic Press".into());
    b.job_id = Some("CPH-1114".into());
    let mut c = Item::new("gone.jpg");
    c.missing = true;
    m.items = vec![a, b, c];
    m.extra.insert("story".into(), json!("Harbor"));
    m
}

struct Setup {
    _dir: tempfile::TempDir,
    base: PathBuf,
    manifest: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("test step");
    let base = dir.path().canonicalize().expect("test step");
    std::fs::create_dir_all(base.join("media/harbor")).expect("test step");
    let manifest = base.join("story.json");
    manifest::save_atomic(&sample(), &manifest).expect("test step");
    Setup {
        _dir: dir,
        base,
        manifest,
    }
}

fn import(s: &Setup, csv: &Path, dry_run: bool) -> (Outcome, String) {
    let mut out = Vec::new();
    let outcome = run(
        &Command::Import(import::Options {
            source: Source::Csv(csv.to_path_buf()),
            manifest: s.manifest.clone(),
            root: None,
            dry_run,
        }),
        &mut out,
    )
    .expect("test step");
    (outcome, String::from_utf8(out).expect("test step"))
}

fn export_sheet(s: &Setup) -> String {
    let mut out = Vec::new();
    run(
        &Command::Export(export::Options {
            manifest: Some(s.manifest.clone()),
            root: None,
            layout: Layout::Sheet,
            output: None,
        }),
        &mut out,
    )
    .expect("test step");
    String::from_utf8(out).expect("test step")
}

fn write(s: &Setup, name: &str, bytes: &[u8]) -> PathBuf {
    let p = s.base.join(name);
    std::fs::write(&p, bytes).expect("test step");
    p
}

#[test]
fn export_then_import_is_lossless() {
    let s = setup();
    let before = std::fs::read(&s.manifest).expect("test step");
    let csv = export_sheet(&s);
    assert!(csv.starts_with(
        "path,caption,credit,creator,copyright,source,date,headline,title,city,country,alt,job_id,desk_note,rank,layout\r\n"
    ));
    let file = write(&s, "sheet.csv", csv.as_bytes());
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Clean, "{said}");
    assert!(said.contains("nothing to change; not written"), "{said}");
    assert_eq!(std::fs::read(&s.manifest).expect("test step"), before);
}

#[test]
fn edited_cells_are_imported_with_a_diff_and_the_rest_kept() {
    let s = setup();
    let csv = export_sheet(&s)
        .replace("Jane Doe/Northern Wire", "Jane Doe/Reuters")
        .replace(",3,", ",4,")
        .replace("CPH-1114", "");
    let file = write(&s, "edited.csv", csv.as_bytes());
    let (_, dry) = import(&s, &file, true);
    assert!(dry.contains("dry run: 2 items changed, 0 added"), "{dry}");
    assert_eq!(manifest::load(&s.manifest).expect("test step"), sample());
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Clean);
    assert_eq!(
        said,
        "changed harbor/boats-at-dawn.jpg\n  credit\n    - Jane Doe/Northern Wire\n    + Jane Doe/Reuters\n  \
         rank\n    - 3\n    + 4\n\
         changed city/night-market-lanterns.jpg\n  job_id\n    - CPH-1114\n\
         wrote "
            .to_owned()
            + &s.manifest.display().to_string()
            + " (2 items changed, 0 added)\n"
    );
    let m = manifest::load(&s.manifest).expect("test step");
    let mut want = sample();
    want.items[0].credit = Some("Jane Doe/Reuters".into());
    want.items[0].extra.insert("rank".into(), json!(4));
    want.items[1].job_id = None;
    assert_eq!(m, want);
    // The editor's alias spelling survives the rewrite.
    assert!(
        std::fs::read_to_string(&s.manifest)
            .expect("test step")
            .contains("\"creditLine\": \"Jane Doe/Reuters\"")
    );
}

#[test]
fn bom_crlf_semicolons_as_european_excel_writes_them() {
    let s = setup();
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend_from_slice(
        "path;credit;caption\r\ncity/night-market-lanterns.jpg;Søren Østergaard/Polfoto;\"Shoppers; at night.\"\r\n"
            .as_bytes(),
    );
    let file = write(&s, "excel.csv", &bytes);
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Clean, "{said}");
    let m = manifest::load(&s.manifest).expect("test step");
    assert_eq!(
        m.items[1].credit.as_deref(),
        Some("Søren Østergaard/Polfoto")
    );
    assert_eq!(m.items[1].caption.as_deref(), Some("Shoppers; at night."));
}

#[test]
fn tabs_and_reordered_columns_as_a_paste_gives_them() {
    let s = setup();
    let text = "Credit\tCaption\tPath\nJane Doe/AP\tBoats.\tharbor/boats-at-dawn.jpg\n";
    let file = write(&s, "paste.tsv", text.as_bytes());
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Clean, "{said}");
    let m = manifest::load(&s.manifest).expect("test step");
    assert_eq!(m.items[0].credit.as_deref(), Some("Jane Doe/AP"));
    assert_eq!(m.items[0].caption.as_deref(), Some("Boats."));
    assert_eq!(m.items[0].alt.as_deref(), Some("Three boats."));
}

#[test]
fn exiftool_column_names_are_aliases_and_sourcefile_is_matched() {
    let s = setup();
    // As `exiftool -csv` or `cutline export --exiftool` write them: the
    // root lies outside the current folder, so SourceFile is absolute.
    let media = s.base.join("media").display().to_string();
    let text = format!(
        "SourceFile,XMP-dc:Description,IPTC:Caption-Abstract,XMP-photoshop:Credit,IPTC:By-line,IPTC:CodedCharacterSet\n\
         {media}/harbor/boats-at-dawn.jpg,Boats at dawn.,Boats at d,Jane Doe/AP,Jane Doe; Ann Lee,UTF8\n"
    );
    let file = write(&s, "exiftool.csv", text.as_bytes());
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Clean, "{said}");
    let m = manifest::load(&s.manifest).expect("test step");
    assert_eq!(m.items[0].caption.as_deref(), Some("Boats at dawn."));
    assert_eq!(m.items[0].credit.as_deref(), Some("Jane Doe/AP"));
    assert_eq!(m.items[0].creator, vec!["Jane Doe", "Ann Lee"]);
}

#[test]
fn unknown_paths_and_columns_are_reported_not_guessed() {
    let s = setup();
    let text = "path,caption,Notes,sha256\n\
                harbor/boats-at-dawn.jpg,Boats.,call back,00\n\
                harbor/boats-at-dusk.jpg,Dusk.,,\n";
    let file = write(&s, "typos.csv", text.as_bytes());
    let (outcome, said) = import(&s, &file, false);
    assert_eq!(outcome, Outcome::Findings, "{said}");
    assert!(
        said.contains("warning: unknown column \"Notes\": skipped"),
        "{said}"
    );
    assert!(said.contains("note: column \"sha256\" ignored"), "{said}");
    assert!(
        said.contains("warning: row 3: unknown path \"harbor/boats-at-dusk.jpg\": not in the manifest; row skipped"),
        "{said}"
    );
    let m = manifest::load(&s.manifest).expect("test step");
    assert_eq!(m.items.len(), 3);
    assert_eq!(m.items[0].caption.as_deref(), Some("Boats."));
    assert!(!m.items[0].extra.contains_key("Notes"));
    assert_eq!(m.items[0].sha256, sample().items[0].sha256);
}

#[test]
fn legacy_encodings_are_refused_with_advice() {
    let s = setup();
    let file = write(&s, "latin1.csv", b"path,caption\na.jpg,Malm\xf6\n");
    let mut out = Vec::new();
    let err = run(
        &Command::Import(import::Options {
            source: Source::Csv(file),
            manifest: s.manifest.clone(),
            root: None,
            dry_run: false,
        }),
        &mut out,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("invalid UTF-8 at byte 23"),
        "{err}"
    );
}
