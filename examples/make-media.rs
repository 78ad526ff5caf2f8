//! Generates the bundled sample media (`media/`): ten photo-like images carrying newsroom metadata.
//!
//! Run from the repository root: `cargo run --example make-media [OUT_DIR]`
//! (default `media`). Output is deterministic: running it twice gives
//! byte-identical files. Pictures are drawn from shapes, gradients and
//! fixed-seed noise; captions and credits are fictional.

#[path = "../tests/support/embed.rs"]
mod embed;

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use embed::{ExifMeta, IptcMeta, Meta, XmpValue};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// xorshift64 with a fixed seed per image, so the noise is the same on every run.
struct Rng(u64);

impl Rng {
    /// Next raw value.
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

type Rgb = [f32; 3];

/// A floating-point RGB canvas (0..255 per channel).
struct Canvas {
    w: usize,
    h: usize,
    px: Vec<Rgb>,
}

fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

impl Canvas {
    fn new(w: u32, h: u32) -> Self {
        let (w, h) = (w as usize, h as usize);
        Self {
            w,
            h,
            px: vec![[0.0; 3]; w * h],
        }
    }

    /// Blends `c` into pixel (x, y) with opacity `a`; off-canvas is ignored.
    fn blend(&mut self, x: i64, y: i64, c: Rgb, a: f32) {
        if x < 0 || y < 0 || x >= self.w as i64 || y >= self.h as i64 {
            return;
        }
        let i = y as usize * self.w + x as usize;
        if let Some(p) = self.px.get_mut(i) {
            *p = mix(*p, c, a);
        }
    }

    /// Vertical gradient from `top` at y0 to `bottom` at y1 over rows y0..y1.
    fn gradient(&mut self, y0: f32, y1: f32, top: Rgb, bottom: Rgb) {
        for y in y0.max(0.0) as usize..(y1.min(self.h as f32)) as usize {
            let c = mix(top, bottom, (y as f32 - y0) / (y1 - y0));
            for x in 0..self.w {
                self.px[y * self.w + x] = c;
            }
        }
    }

    /// Filled disc with a soft edge, plus an optional additive glow radius.
    fn disc(&mut self, cx: f32, cy: f32, r: f32, c: Rgb, glow: f32) {
        let reach = r + glow;
        for y in (cy - reach) as i64..=(cy + reach) as i64 {
            for x in (cx - reach) as i64..=(cx + reach) as i64 {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                if d <= r {
                    self.blend(x, y, c, (r - d + 0.5).min(1.0));
                } else if glow > 0.0 && d < reach {
                    self.blend(x, y, c, 0.45 * (1.0 - (d - r) / glow).powi(2));
                }
            }
        }
    }

    /// Axis-aligned rectangle.
    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: Rgb) {
        for y in y0 as i64..y1 as i64 {
            for x in x0 as i64..x1 as i64 {
                self.blend(x, y, c, 1.0);
            }
        }
    }

    /// Filled convex polygon (points in order).
    fn poly(&mut self, pts: &[(f32, f32)], c: Rgb) {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        for y in y0 as i64..=y1 as i64 {
            for x in x0 as i64..=x1 as i64 {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let mut sign = 0.0f32;
                let mut inside = true;
                for (i, &(ax, ay)) in pts.iter().enumerate() {
                    let (bx, by) = pts[(i + 1) % pts.len()];
                    let cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
                    if cross != 0.0 {
                        if sign == 0.0 {
                            sign = cross.signum();
                        } else if cross.signum() != sign {
                            inside = false;
                            break;
                        }
                    }
                }
                if inside {
                    self.blend(x, y, c, 1.0);
                }
            }
        }
    }

    /// Fills below a ridge line `ridge(x)` down to the bottom, shading towards `low`.
    fn ridge(&mut self, ridge: impl Fn(f32) -> f32, high: Rgb, low: Rgb) {
        for x in 0..self.w {
            let top = ridge(x as f32).max(0.0);
            for y in top as usize..self.h {
                let t = (y as f32 - top) / (self.h as f32 - top).max(1.0);
                self.px[y * self.w + x] = mix(high, low, t);
            }
        }
    }

    /// Thin line from (x0, y0) to (x1, y1).
    fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: Rgb, a: f32) {
        let n = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as usize;
        for i in 0..=n {
            let t = i as f32 / n as f32;
            let x = x0 + (x1 - x0) * t;
            let y = y0 + (y1 - y0) * t;
            self.blend(x.round() as i64, y.round() as i64, c, a);
        }
    }

    /// Horizontal ripples on water below `horizon`, brightening a reflection column at `sun_x`.
    fn ripples(&mut self, horizon: f32, rng: &mut Rng, glint: Rgb, sun_x: Option<f32>) {
        let h = self.h as f32;
        let n = (self.w * self.h) / 90;
        for _ in 0..n {
            let y = rng.range(horizon + 1.0, h);
            let depth = (y - horizon) / (h - horizon);
            let len = 3.0 + 22.0 * depth * rng.unit();
            let x = match sun_x {
                Some(sx) if rng.unit() < 0.5 => sx + rng.range(-1.0, 1.0) * (10.0 + 50.0 * depth),
                _ => rng.range(0.0, self.w as f32),
            };
            let a = 0.12 + 0.25 * rng.unit();
            self.line(x, y, x + len, y, glint, a);
        }
    }

    /// Low-frequency value noise (multiplicative) plus per-pixel grain and a vignette.
    fn finish(&mut self, rng: &mut Rng, texture: f32, grain: f32, vignette: f32) {
        const CELL: usize = 24;
        let gw = self.w / CELL + 2;
        let gh = self.h / CELL + 2;
        let lattice: Vec<f32> = (0..gw * gh).map(|_| rng.range(-1.0, 1.0)).collect();
        let (cx, cy) = (self.w as f32 / 2.0, self.h as f32 / 2.0);
        let rmax = (cx * cx + cy * cy).sqrt();
        for y in 0..self.h {
            for x in 0..self.w {
                let (gx, gy) = (x / CELL, y / CELL);
                let fx = (x % CELL) as f32 / CELL as f32;
                let fy = (y % CELL) as f32 / CELL as f32;
                let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
                let at = |i: usize, j: usize| lattice[j * gw + i];
                let top = at(gx, gy) + (at(gx + 1, gy) - at(gx, gy)) * sx;
                let bot = at(gx, gy + 1) + (at(gx + 1, gy + 1) - at(gx, gy + 1)) * sx;
                let v = top + (bot - top) * sy;
                let r = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() / rmax;
                let shade = (1.0 + texture * v) * (1.0 - vignette * r * r);
                let g = if grain > 0.0 {
                    rng.range(-grain, grain)
                } else {
                    0.0
                };
                let p = &mut self.px[y * self.w + x];
                for ch in p.iter_mut() {
                    *ch = *ch * shade + g;
                }
            }
        }
    }

    /// Old-print look: luminance mapped onto a brown-to-cream ramp.
    fn sepia(&mut self) {
        for p in &mut self.px {
            let l = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
            *p = mix([40.0, 26.0, 14.0], [236.0, 220.0, 188.0], l);
        }
    }

    /// 8-bit RGB bytes, rounded and clamped.
    fn rgb8(&self) -> Vec<u8> {
        self.px
            .iter()
            .flat_map(|p| p.map(|c| c.round().clamp(0.0, 255.0) as u8))
            .collect()
    }
}

/// A small fishing boat: hull, cabin, mast; `s` is the scale.
fn boat(c: &mut Canvas, x: f32, y: f32, s: f32, hull: Rgb) {
    c.poly(
        &[
            (x - 20.0 * s, y - 6.0 * s),
            (x + 24.0 * s, y - 6.0 * s),
            (x + 18.0 * s, y + 3.0 * s),
            (x - 16.0 * s, y + 3.0 * s),
        ],
        hull,
    );
    c.rect(
        x - 6.0 * s,
        y - 14.0 * s,
        x + 6.0 * s,
        y - 6.0 * s,
        [225.0, 222.0, 210.0],
    );
    c.rect(
        x - 3.0 * s,
        y - 12.0 * s,
        x + 3.0 * s,
        y - 9.0 * s,
        [60.0, 70.0, 80.0],
    );
    c.line(
        x + 10.0 * s,
        y - 6.0 * s,
        x + 10.0 * s,
        y - 30.0 * s,
        [40.0, 35.0, 30.0],
        1.0,
    );
}

/// A white sailing yacht: hull and two triangular sails.
fn yacht(c: &mut Canvas, x: f32, y: f32, s: f32, sail: Rgb) {
    c.poly(
        &[
            (x, y - 44.0 * s),
            (x, y - 4.0 * s),
            (x + 22.0 * s, y - 4.0 * s),
        ],
        sail,
    );
    c.poly(
        &[
            (x - 1.0, y - 38.0 * s),
            (x - 1.0, y - 6.0 * s),
            (x - 14.0 * s, y - 6.0 * s),
        ],
        sail,
    );
    c.poly(
        &[
            (x - 16.0 * s, y - 3.0 * s),
            (x + 26.0 * s, y - 3.0 * s),
            (x + 20.0 * s, y + 2.0 * s),
            (x - 12.0 * s, y + 2.0 * s),
        ],
        [35.0, 40.0, 55.0],
    );
}

/// Harbor at dawn: warm sky, low sun, hills, boats leaving on calm water.
fn scene_dawn_harbor(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    let horizon = h * 0.55;
    c.gradient(0.0, horizon, [70.0, 90.0, 140.0], [250.0, 170.0, 110.0]);
    c.disc(w * 0.68, horizon - 18.0, 16.0, [255.0, 236.0, 190.0], 60.0);
    c.ridge(
        |x| horizon - 30.0 - 14.0 * (x / 70.0).sin() - 9.0 * (x / 23.0 + 1.0).sin(),
        [95.0, 80.0, 110.0],
        [70.0, 60.0, 90.0],
    );
    c.gradient(horizon, h, [200.0, 140.0, 110.0], [40.0, 55.0, 80.0]);
    c.ripples(horizon, rng, [255.0, 220.0, 170.0], Some(w * 0.68));
    boat(c, w * 0.25, horizon + 40.0, 1.3, [160.0, 40.0, 35.0]);
    boat(c, w * 0.47, horizon + 22.0, 0.8, [40.0, 70.0, 120.0]);
    boat(c, w * 0.82, horizon + 70.0, 1.7, [235.0, 225.0, 200.0]);
    c.rect(0.0, h - 28.0, w * 0.35, h, [70.0, 62.0, 58.0]);
    c.finish(rng, 0.05, 2.5, 0.35);
}

/// Night market: dark sky, buildings with lit windows, strings of lanterns, crowd.
fn scene_night_market(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h, [12.0, 18.0, 45.0], [35.0, 30.0, 50.0]);
    let mut x = 0.0;
    while x < w {
        let bw = rng.range(50.0, 95.0);
        let top = rng.range(h * 0.12, h * 0.4);
        c.rect(x, top, x + bw, h, [28.0, 26.0, 34.0]);
        let mut wy = top + 10.0;
        while wy < h * 0.7 {
            let mut wx = x + 8.0;
            while wx + 9.0 < x + bw {
                if rng.unit() < 0.55 {
                    c.rect(wx, wy, wx + 9.0, wy + 12.0, [240.0, 200.0, 120.0]);
                }
                wx += 16.0;
            }
            wy += 22.0;
        }
        x += bw + 4.0;
    }
    for row in 0..3 {
        let y0 = h * (0.42 + 0.1 * row as f32);
        let mut lx = 12.0 + 9.0 * row as f32;
        while lx < w {
            let y = y0 + 10.0 * ((lx / w) * std::f32::consts::PI).sin();
            let col = if rng.unit() < 0.5 {
                [230.0, 60.0, 40.0]
            } else {
                [250.0, 150.0, 50.0]
            };
            c.disc(lx, y, 6.0, col, 12.0);
            lx += 26.0;
        }
    }
    for _ in 0..70 {
        let px = rng.range(0.0, w);
        let py = rng.range(h * 0.8, h * 0.95);
        c.disc(px, py, rng.range(5.0, 8.0), [15.0, 14.0, 20.0], 0.0);
        c.rect(px - 7.0, py + 5.0, px + 7.0, h, [18.0, 16.0, 22.0]);
    }
    c.finish(rng, 0.06, 3.0, 0.3);
}

/// Snow on the fells: pale sky, layered white hills, dark walls and trees.
fn scene_snowy_fells(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h * 0.6, [150.0, 170.0, 195.0], [220.0, 225.0, 232.0]);
    c.ridge(
        |x| h * 0.3 + 25.0 * (x / 90.0).sin() + 12.0 * (x / 31.0).cos(),
        [235.0, 238.0, 245.0],
        [180.0, 190.0, 205.0],
    );
    c.ridge(
        |x| h * 0.5 + 18.0 * (x / 60.0 + 2.0).sin() + 6.0 * (x / 17.0).sin(),
        [245.0, 246.0, 250.0],
        [200.0, 205.0, 215.0],
    );
    c.ridge(
        |x| h * 0.72 + 10.0 * (x / 110.0 + 1.0).sin(),
        [250.0, 250.0, 252.0],
        [215.0, 220.0, 228.0],
    );
    c.line(0.0, h * 0.8, w, h * 0.74, [70.0, 68.0, 66.0], 0.9);
    c.line(
        0.0,
        h * 0.8 + 1.0,
        w,
        h * 0.74 + 1.0,
        [90.0, 88.0, 85.0],
        0.7,
    );
    for _ in 0..14 {
        let tx = rng.range(0.0, w);
        let ty = rng.range(h * 0.55, h * 0.9);
        let s = rng.range(6.0, 14.0);
        c.poly(
            &[(tx, ty - 2.5 * s), (tx + s, ty), (tx - s, ty)],
            [40.0, 60.0, 50.0],
        );
    }
    for _ in 0..900 {
        let (sx, sy) = (rng.range(0.0, w), rng.range(0.0, h));
        c.blend(sx as i64, sy as i64, [255.0, 255.0, 255.0], 0.7);
    }
    c.finish(rng, 0.03, 2.5, 0.2);
}

/// A ferry at a wooden pier, printed in sepia.
fn scene_ferry_pier(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    let horizon = h * 0.5;
    c.gradient(0.0, horizon, [170.0, 180.0, 190.0], [225.0, 225.0, 220.0]);
    c.ridge(
        |x| horizon - 20.0 - 10.0 * (x / 50.0).sin(),
        [120.0, 125.0, 120.0],
        [100.0, 105.0, 100.0],
    );
    c.gradient(horizon, h, [150.0, 160.0, 165.0], [80.0, 90.0, 100.0]);
    c.ripples(horizon, rng, [230.0, 230.0, 230.0], None);
    // Ferry: long hull, white superstructure, funnel.
    c.poly(
        &[
            (w * 0.15, horizon + 10.0),
            (w * 0.7, horizon + 10.0),
            (w * 0.66, horizon + 34.0),
            (w * 0.18, horizon + 34.0),
        ],
        [30.0, 30.0, 30.0],
    );
    c.rect(
        w * 0.25,
        horizon - 12.0,
        w * 0.6,
        horizon + 10.0,
        [230.0, 230.0, 225.0],
    );
    let mut px = w * 0.27;
    while px < w * 0.58 {
        c.rect(px, horizon - 6.0, px + 6.0, horizon, [60.0, 60.0, 60.0]);
        px += 12.0;
    }
    c.rect(
        w * 0.4,
        horizon - 34.0,
        w * 0.46,
        horizon - 12.0,
        [50.0, 40.0, 35.0],
    );
    // Pier: deck and posts.
    c.rect(w * 0.55, h * 0.72, w, h * 0.76, [90.0, 70.0, 55.0]);
    let mut post = w * 0.57;
    while post < w {
        c.rect(post, h * 0.76, post + 5.0, h, [70.0, 55.0, 45.0]);
        post += 24.0;
    }
    for i in 0..6 {
        let fx = w * 0.62 + 22.0 * i as f32;
        c.disc(fx, h * 0.72 - 16.0, 3.5, [35.0, 30.0, 30.0], 0.0);
        c.rect(
            fx - 3.5,
            h * 0.72 - 13.0,
            fx + 3.5,
            h * 0.72,
            [35.0, 30.0, 30.0],
        );
    }
    c.sepia();
    c.finish(rng, 0.08, 5.0, 0.55);
}

/// An orange lifeboat on grey water under an overcast sky.
fn scene_rescue_drill(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    let horizon = h * 0.42;
    c.gradient(0.0, horizon, [160.0, 168.0, 178.0], [200.0, 205.0, 210.0]);
    c.ridge(
        |x| horizon - 18.0 - 12.0 * (x / 80.0).cos(),
        [90.0, 105.0, 95.0],
        [75.0, 90.0, 80.0],
    );
    c.gradient(horizon, h, [110.0, 125.0, 135.0], [50.0, 65.0, 80.0]);
    for i in 0..40 {
        let y = horizon + (h - horizon) * (i as f32 / 40.0).powf(1.6);
        for x in (0..c.w).step_by(2) {
            let xf = x as f32;
            let wave = y + 2.0 * (xf / (8.0 + i as f32) + i as f32).sin();
            c.blend(x as i64, wave as i64, [190.0, 200.0, 205.0], 0.35);
        }
    }
    let (bx, by) = (w * 0.45, h * 0.62);
    c.poly(
        &[
            (bx - 70.0, by),
            (bx + 80.0, by),
            (bx + 60.0, by + 22.0),
            (bx - 60.0, by + 22.0),
        ],
        [235.0, 110.0, 30.0],
    );
    c.rect(bx - 30.0, by - 26.0, bx + 35.0, by, [240.0, 120.0, 40.0]);
    c.rect(
        bx - 22.0,
        by - 20.0,
        bx + 28.0,
        by - 10.0,
        [40.0, 50.0, 60.0],
    );
    for i in 0..4 {
        let fx = bx - 50.0 + 30.0 * i as f32;
        c.disc(fx, by - 6.0, 4.0, [250.0, 200.0, 40.0], 0.0);
    }
    c.rect(
        bx + 90.0,
        by + 8.0,
        bx + 130.0,
        by + 14.0,
        [240.0, 240.0, 240.0],
    );
    c.finish(rng, 0.02, 0.0, 0.15);
}

/// Puffins on a grassy cliff top above the sea.
fn scene_puffins(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h * 0.35, [140.0, 180.0, 220.0], [200.0, 220.0, 235.0]);
    c.gradient(h * 0.35, h, [60.0, 110.0, 150.0], [30.0, 70.0, 110.0]);
    c.poly(
        &[
            (0.0, h * 0.45),
            (w * 0.75, h * 0.55),
            (w * 0.9, h),
            (0.0, h),
        ],
        [90.0, 80.0, 70.0],
    );
    c.poly(
        &[
            (0.0, h * 0.45),
            (w * 0.75, h * 0.55),
            (w * 0.7, h * 0.62),
            (0.0, h * 0.55),
        ],
        [95.0, 140.0, 70.0],
    );
    for i in 0..9 {
        let px = 30.0 + i as f32 * (w * 0.7 / 9.0) + rng.range(-8.0, 8.0);
        let py = h * 0.5 + (px / w) * h * 0.1 + rng.range(-4.0, 4.0);
        c.disc(px, py, 7.0, [25.0, 25.0, 30.0], 0.0);
        c.disc(px + 2.0, py + 2.0, 4.5, [240.0, 240.0, 235.0], 0.0);
        c.disc(px, py - 9.0, 4.5, [25.0, 25.0, 30.0], 0.0);
        c.disc(px + 1.5, py - 9.5, 2.0, [240.0, 240.0, 235.0], 0.0);
        c.poly(
            &[
                (px + 4.0, py - 11.0),
                (px + 9.0, py - 9.0),
                (px + 4.0, py - 7.0),
            ],
            [240.0, 120.0, 30.0],
        );
    }
    c.finish(rng, 0.02, 0.0, 0.15);
}

/// Lighthouse and keeper's cottage on a headland.
fn scene_lighthouse(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h * 0.7, [110.0, 150.0, 200.0], [210.0, 220.0, 230.0]);
    c.ridge(
        |x| h * 0.68 - 10.0 * (x / 40.0).sin() - 0.1 * x,
        [100.0, 140.0, 70.0],
        [70.0, 100.0, 50.0],
    );
    let tx = w * 0.62;
    c.poly(
        &[
            (tx - 10.0, h * 0.2),
            (tx + 10.0, h * 0.2),
            (tx + 14.0, h * 0.66),
            (tx - 14.0, h * 0.66),
        ],
        [240.0, 240.0, 235.0],
    );
    c.rect(tx - 11.0, h * 0.12, tx + 11.0, h * 0.2, [40.0, 40.0, 40.0]);
    c.disc(tx, h * 0.16, 4.0, [255.0, 230.0, 150.0], 6.0);
    c.poly(
        &[(tx - 12.0, h * 0.12), (tx, h * 0.05), (tx + 12.0, h * 0.12)],
        [170.0, 40.0, 40.0],
    );
    c.rect(w * 0.2, h * 0.52, w * 0.45, h * 0.7, [235.0, 230.0, 220.0]);
    c.poly(
        &[
            (w * 0.18, h * 0.52),
            (w * 0.325, h * 0.4),
            (w * 0.47, h * 0.52),
        ],
        [70.0, 70.0, 80.0],
    );
    c.rect(w * 0.25, h * 0.57, w * 0.29, h * 0.63, [60.0, 70.0, 90.0]);
    c.rect(w * 0.37, h * 0.57, w * 0.41, h * 0.7, [110.0, 60.0, 40.0]);
    c.finish(rng, 0.04, 2.0, 0.25);
}

/// Lobster creels stacked on a stone quay.
fn scene_creels(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h * 0.3, [80.0, 110.0, 130.0], [60.0, 90.0, 110.0]);
    c.ripples(0.0, rng, [170.0, 190.0, 200.0], None);
    let mut sy = h * 0.3;
    let mut row = 0;
    while sy < h {
        let mut sx = if row % 2 == 0 { 0.0 } else { -15.0 };
        while sx < w {
            let g = rng.range(110.0, 150.0);
            c.rect(
                sx + 1.0,
                sy + 1.0,
                sx + 29.0,
                sy + 13.0,
                [g, g * 0.97, g * 0.92],
            );
            sx += 30.0;
        }
        sy += 14.0;
        row += 1;
    }
    let colors = [[40.0, 90.0, 60.0], [30.0, 60.0, 120.0], [150.0, 50.0, 40.0]];
    for stack in 0..4 {
        for level in 0..3 {
            let x0 = w * 0.12 + stack as f32 * 46.0 + level as f32 * 4.0;
            let y0 = h * 0.78 - level as f32 * 26.0;
            let col = colors[(stack + level) % 3];
            c.rect(x0, y0 - 24.0, x0 + 42.0, y0, col);
            for k in 1..6 {
                let lx = x0 + k as f32 * 7.0;
                c.line(lx, y0 - 24.0, lx, y0, [20.0, 20.0, 20.0], 0.5);
            }
            c.line(x0, y0 - 12.0, x0 + 42.0, y0 - 12.0, [20.0, 20.0, 20.0], 0.5);
        }
    }
    c.finish(rng, 0.05, 2.0, 0.3);
}

/// A yellow tram on a bridge in the rain.
fn scene_tram_rain(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    c.gradient(0.0, h * 0.55, [120.0, 125.0, 135.0], [165.0, 168.0, 172.0]);
    let mut x = 0.0;
    while x < w {
        let bw = 40.0 + 30.0 * ((x * 0.37).sin() + 1.0);
        let top = h * (0.25 + 0.08 * (x * 0.11).cos());
        c.rect(x, top, x + bw - 3.0, h * 0.55, [105.0, 100.0, 100.0]);
        x += bw;
    }
    c.gradient(h * 0.55, h * 0.62, [90.0, 90.0, 95.0], [80.0, 80.0, 85.0]);
    c.gradient(h * 0.62, h, [70.0, 75.0, 85.0], [50.0, 55.0, 65.0]);
    let (tx, ty) = (w * 0.2, h * 0.6);
    c.rect(tx, ty - 60.0, tx + w * 0.55, ty, [235.0, 190.0, 40.0]);
    let mut wx = tx + 8.0;
    while wx + 20.0 < tx + w * 0.55 {
        c.rect(wx, ty - 52.0, wx + 20.0, ty - 30.0, [60.0, 70.0, 80.0]);
        wx += 28.0;
    }
    c.rect(tx, ty - 8.0, tx + w * 0.55, ty - 4.0, [200.0, 60.0, 40.0]);
    c.line(
        tx + 60.0,
        ty - 60.0,
        tx + 90.0,
        ty - 90.0,
        [40.0, 40.0, 40.0],
        0.9,
    );
    c.line(0.0, ty - 90.0, w, ty - 92.0, [40.0, 40.0, 40.0], 0.6);
    // Reflection of the tram on the wet road, then rain streaks.
    c.rect(tx, ty + 4.0, tx + w * 0.55, ty + 40.0, [150.0, 130.0, 60.0]);
    for _ in 0..500 {
        let (rx, ry) = (rng.range(0.0, w), rng.range(0.0, h));
        c.line(rx, ry, rx - 3.0, ry + 12.0, [210.0, 215.0, 225.0], 0.25);
    }
    c.finish(rng, 0.02, 0.0, 0.2);
}

/// Yachts crossing a start line on a bright sea.
fn scene_regatta(c: &mut Canvas, rng: &mut Rng) {
    let (w, h) = (c.w as f32, c.h as f32);
    let horizon = h * 0.35;
    c.gradient(0.0, horizon, [90.0, 150.0, 220.0], [185.0, 210.0, 235.0]);
    c.ridge(
        |x| horizon - 8.0 - 6.0 * (x / 45.0).sin(),
        [110.0, 130.0, 100.0],
        [90.0, 110.0, 85.0],
    );
    c.gradient(horizon, h, [60.0, 120.0, 170.0], [20.0, 70.0, 120.0]);
    for i in 0..30 {
        let y = horizon + (h - horizon) * (i as f32 / 30.0).powf(1.5);
        c.line(0.0, y, w, y + 3.0, [150.0, 190.0, 220.0], 0.2);
    }
    let sails = [
        [245.0, 245.0, 240.0],
        [250.0, 250.0, 250.0],
        [230.0, 80.0, 60.0],
    ];
    for i in 0..7 {
        let s = 0.6 + 0.12 * i as f32;
        let x = 30.0 + i as f32 * (w - 60.0) / 7.0 + rng.range(-10.0, 10.0);
        let y = horizon + 20.0 + i as f32 * (h - horizon - 40.0) / 7.0;
        yacht(c, x, y, s * 1.4, sails[i % 3]);
    }
    c.disc(w * 0.9, h * 0.9, 5.0, [250.0, 140.0, 30.0], 0.0);
    c.finish(rng, 0.02, 0.0, 0.15);
}

/// Container format of a sample.
#[derive(Clone, Copy)]
enum Kind {
    Jpeg,
    Png,
    Tiff,
    Webp,
}

/// One sample image and the newsroom metadata it carries.
struct Story {
    path: &'static str,
    kind: Kind,
    width: u32,
    height: u32,
    seed: u64,
    scene: fn(&mut Canvas, &mut Rng),
    /// dc:title and IPTC 2:05 ObjectName (the wire slug).
    title: &'static str,
    headline: &'static str,
    caption: &'static str,
    creator: &'static str,
    /// Whether EXIF Artist is written: off where the creator is not ASCII.
    exif_artist: bool,
    credit: &'static str,
    source: &'static str,
    copyright: &'static str,
    /// `YYYY-MM-DD`.
    date: &'static str,
    /// `HH:MM:SS`.
    time: &'static str,
    city: &'static str,
    country: &'static str,
    make: &'static str,
    model: &'static str,
}

const STORIES: &[Story] = &[
    Story {
        path: "harbor/boats-at-dawn.jpg",
        kind: Kind::Jpeg,
        width: 640,
        height: 427,
        seed: 0x5eed_0001,
        scene: scene_dawn_harbor,
        title: "UK-SCOTLAND-FISHING",
        headline: "Fishing fleet sails at first light",
        caption: "Fishing boats leave the harbor at dawn in Ullapool, Scotland, on May 3, 2024.",
        creator: "Jane Doe",
        exif_artist: true,
        credit: "Jane Doe/Northern Wire",
        source: "Northern Wire",
        copyright: "Copyright 2024 Northern Wire",
        date: "2024-05-03",
        time: "05:48:12",
        city: "Ullapool",
        country: "United Kingdom",
        make: "Canon",
        model: "Canon EOS R6",
    },
    Story {
        path: "city/night-market-lanterns.jpg",
        kind: Kind::Jpeg,
        width: 600,
        height: 400,
        seed: 0x5eed_0002,
        scene: scene_night_market,
        title: "DENMARK-MARKET-NIGHT",
        headline: "Lanterns light up riverside night market",
        caption: "Shoppers browse food stalls under paper lanterns at the Riverside Night Market \
                  in Copenhagen, Denmark, on Nov. 14, 2024.",
        creator: "Søren Østergaard",
        exif_artist: false,
        credit: "Søren Østergaard/Nordic Press",
        source: "Nordic Press",
        copyright: "Copyright 2024 Nordic Press",
        date: "2024-11-14",
        time: "19:32:05",
        city: "Copenhagen",
        country: "Denmark",
        make: "SONY",
        model: "ILCE-7M4",
    },
    Story {
        path: "weather/snow-on-the-fells.jpg",
        kind: Kind::Jpeg,
        width: 640,
        height: 360,
        seed: 0x5eed_0003,
        scene: scene_snowy_fells,
        title: "UK-WEATHER-SNOW",
        headline: "Overnight storm brings snow to the Lakes",
        caption: "Snow covers the fells above Keswick, England, on Jan. 9, 2025, after an \
                  overnight storm closed two mountain passes.",
        creator: "Tom Harker",
        exif_artist: true,
        credit: "Tom Harker/Lakeland Press",
        source: "Lakeland Press",
        copyright: "Copyright 2025 Lakeland Press",
        date: "2025-01-09",
        time: "09:15:40",
        city: "Keswick",
        country: "United Kingdom",
        make: "NIKON CORPORATION",
        model: "NIKON Z 6_2",
    },
    Story {
        path: "archive/ferry-at-oban-pier-1962.jpg",
        kind: Kind::Jpeg,
        width: 480,
        height: 360,
        seed: 0x5eed_0004,
        scene: scene_ferry_pier,
        title: "ARCHIVE-OBAN-FERRY",
        headline: "Ferry arrives at Oban pier, 1962",
        caption: "Passengers wait as the ferry Saint Columba comes alongside the pier in Oban, \
                  Scotland, on June 15, 1962.",
        creator: "Alasdair MacRae",
        exif_artist: true,
        credit: "Courtesy of the Oban Museum",
        source: "Oban Museum",
        copyright: "Copyright 1962 Oban Museum",
        date: "1962-06-15",
        time: "11:00:00",
        city: "Oban",
        country: "United Kingdom",
        make: "Rolleiflex",
        model: "Rolleiflex 2.8E",
    },
    Story {
        path: "harbor/lifeboat-rescue-drill.png",
        kind: Kind::Png,
        width: 480,
        height: 320,
        seed: 0x5eed_0005,
        scene: scene_rescue_drill,
        title: "UK-SCOTLAND-LIFEBOAT",
        headline: "Lifeboat crew practise sea rescue",
        caption: "Volunteer lifeboat crew practise a sea rescue off Stornoway, Scotland, \
                  on Aug. 21, 2024, in a handout picture from the harbor authority.",
        creator: "Stornoway Harbor Authority",
        exif_artist: true,
        credit: "Handout/Harbor Authority",
        source: "Stornoway Harbor Authority",
        copyright: "Copyright 2024 Stornoway Harbor Authority",
        date: "2024-08-21",
        time: "14:05:33",
        city: "Stornoway",
        country: "United Kingdom",
        make: "DJI",
        model: "FC3582",
    },
    Story {
        path: "nature/puffins-on-lunga.png",
        kind: Kind::Png,
        width: 480,
        height: 320,
        seed: 0x5eed_0006,
        scene: scene_puffins,
        title: "UK-SCOTLAND-PUFFINS",
        headline: "Puffins return to Treshnish Isles",
        caption: "Puffins gather on the cliff top of Lunga, one of the Treshnish Isles, \
                  Scotland, on June 2, 2024.",
        creator: "Mairi Campbell",
        exif_artist: true,
        credit: "Mairi Campbell/Northern Wire",
        source: "Northern Wire",
        copyright: "Copyright 2024 Northern Wire",
        date: "2024-06-02",
        time: "07:41:09",
        city: "Lunga",
        country: "United Kingdom",
        make: "OM Digital Solutions",
        model: "OM-1",
    },
    Story {
        path: "archive/ardnamurchan-lighthouse-1958.tif",
        kind: Kind::Tiff,
        width: 240,
        height: 160,
        seed: 0x5eed_0007,
        scene: scene_lighthouse,
        title: "ARCHIVE-ARDNAMURCHAN",
        headline: "Keeper's cottage at Ardnamurchan, 1958",
        caption: "The keeper's cottage stands beside the lighthouse at Ardnamurchan Point, \
                  Scotland, on Sept. 4, 1958.",
        creator: "Ewan Ross",
        exif_artist: true,
        credit: "Ewan Ross/Highland Archive",
        source: "Highland Archive",
        copyright: "Copyright 1958 Highland Archive",
        date: "1958-09-04",
        time: "15:20:00",
        city: "Kilchoan",
        country: "United Kingdom",
        make: "Kodak",
        model: "Kodak Retina IIIc",
    },
    Story {
        path: "harbor/lobster-creels-mallaig.tif",
        kind: Kind::Tiff,
        width: 240,
        height: 170,
        seed: 0x5eed_0008,
        scene: scene_creels,
        title: "UK-SCOTLAND-LOBSTER",
        headline: "Creels stacked for the lobster season",
        caption: "Lobster creels are stacked on the quay in Mallaig, Scotland, on July 18, 2024, \
                  ahead of the summer season.",
        creator: "Jane Doe",
        exif_artist: true,
        credit: "Jane Doe/Northern Wire",
        source: "Northern Wire",
        copyright: "Copyright 2024 Northern Wire",
        date: "2024-07-18",
        time: "10:02:51",
        city: "Mallaig",
        country: "United Kingdom",
        make: "Canon",
        model: "Canon EOS R6",
    },
    Story {
        path: "city/tram-in-the-rain.webp",
        kind: Kind::Webp,
        width: 480,
        height: 320,
        seed: 0x5eed_0009,
        scene: scene_tram_rain,
        title: "DENMARK-WEATHER-RAIN",
        headline: "Autumn rain sweeps the capital",
        caption: "A tram crosses the Langebro bridge in heavy rain in Copenhagen, Denmark, \
                  on Oct. 2, 2024.",
        creator: "Ida Holm",
        exif_artist: true,
        credit: "Ida Holm/Nordic Press",
        source: "Nordic Press",
        copyright: "Copyright 2024 Nordic Press",
        date: "2024-10-02",
        time: "08:27:14",
        city: "Copenhagen",
        country: "Denmark",
        make: "FUJIFILM",
        model: "X-T5",
    },
    Story {
        path: "sport/regatta-start-cowes.webp",
        kind: Kind::Webp,
        width: 480,
        height: 320,
        seed: 0x5eed_000a,
        scene: scene_regatta,
        title: "SAILING-ROUND-ISLAND",
        headline: "Fleet sets off in Round the Island race",
        caption: "Yachts cross the start line of the Round the Island Race off Cowes, England, \
                  on June 29, 2024.",
        creator: "Peter Vance",
        exif_artist: true,
        credit: "Peter Vance/Solent Sports Photo",
        source: "Solent Sports Photo",
        copyright: "Copyright 2024 Solent Sports Photo",
        date: "2024-06-29",
        time: "10:00:30",
        city: "Cowes",
        country: "United Kingdom",
        make: "Canon",
        model: "Canon EOS R3",
    },
];

/// Why a story cannot be written as specified.
#[derive(Debug)]
enum StoryError {
    /// A value bound for an EXIF ASCII field is not ASCII.
    NotAscii(&'static str),
    /// A value is longer than its IIM dataset allows.
    TooLongForIim(&'static str),
}

impl std::fmt::Display for StoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAscii(v) => write!(f, "EXIF fields must be ASCII: {v:?}"),
            Self::TooLongForIim(v) => write!(f, "too long for its IIM dataset: {v:?}"),
        }
    }
}

impl Error for StoryError {}

/// The metadata blocks of `s`; EXIF/IPTC/XMP carry the same caption, credit and creator.
fn story_meta(s: &Story, iptc: bool) -> Result<Meta, StoryError> {
    let ascii = |v: &'static str| {
        if v.is_ascii() {
            Ok(v.to_string())
        } else {
            Err(StoryError::NotAscii(v))
        }
    };
    // IIM 2:120 Caption-Abstract 2000 bytes, 2:110 Credit and 2:80 By-line 32 bytes.
    for (v, max) in [
        (s.caption, 2000),
        (s.credit, 32),
        (s.creator, 32),
        (s.city, 32),
    ] {
        if v.len() > max {
            return Err(StoryError::TooLongForIim(v));
        }
    }
    let exif = ExifMeta {
        image_description: Some(ascii(s.caption)?),
        artist: if s.exif_artist {
            Some(ascii(s.creator)?)
        } else {
            None
        },
        copyright: Some(ascii(s.copyright)?),
        date_time_original: Some(format!("{} {}", s.date.replace('-', ":"), s.time)),
        make: Some(ascii(s.make)?),
        model: Some(ascii(s.model)?),
    };
    let iptc = iptc.then(|| {
        IptcMeta::new()
            .utf8()
            .object_name(s.title)
            .by_line(s.creator)
            .city(s.city)
            .country(s.country)
            .headline(s.headline)
            .credit(s.credit)
            .source(s.source)
            .copyright_notice(s.copyright)
            .date_created(&s.date.replace('-', ""))
            .caption(s.caption)
    });
    let simple = |v: &str| XmpValue::Simple(v.to_string());
    let xmp = embed::xmp_packet(&[
        ("dc", "title", XmpValue::LangAlt(s.title.to_string())),
        (
            "dc",
            "description",
            XmpValue::LangAlt(s.caption.to_string()),
        ),
        ("dc", "creator", XmpValue::Seq(vec![s.creator.to_string()])),
        ("dc", "rights", XmpValue::LangAlt(s.copyright.to_string())),
        ("photoshop", "Headline", simple(s.headline)),
        ("photoshop", "Credit", simple(s.credit)),
        ("photoshop", "Source", simple(s.source)),
        ("photoshop", "DateCreated", simple(s.date)),
        ("photoshop", "City", simple(s.city)),
        ("photoshop", "Country", simple(s.country)),
    ]);
    Ok(Meta {
        exif: Some(exif),
        iptc,
        xmp: Some(xmp),
    })
}

/// Draws and encodes one story with its metadata.
fn render(s: &Story) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut canvas = Canvas::new(s.width, s.height);
    let mut rng = Rng(s.seed);
    (s.scene)(&mut canvas, &mut rng);
    let rgb = canvas.rgb8();
    let (w, h) = (s.width, s.height);
    let mut plain = Vec::new();
    Ok(match s.kind {
        Kind::Jpeg => {
            JpegEncoder::new_with_quality(&mut plain, 85).write_image(
                &rgb,
                w,
                h,
                ExtendedColorType::Rgb8,
            )?;
            embed::jpeg_with(&plain, &story_meta(s, true)?)?
        }
        Kind::Png => {
            PngEncoder::new(&mut plain).write_image(&rgb, w, h, ExtendedColorType::Rgb8)?;
            let text = [
                ("Title", s.title),
                ("Author", s.creator),
                ("Description", s.caption),
                ("Copyright", s.copyright),
            ];
            embed::png_with(&plain, &story_meta(s, false)?, &text)?
        }
        Kind::Tiff => embed::tiff_with(&rgb, w, h, &story_meta(s, true)?)?,
        Kind::Webp => {
            WebPEncoder::new_lossless(&mut plain).write_image(
                &rgb,
                w,
                h,
                ExtendedColorType::Rgb8,
            )?;
            embed::webp_with(&plain, &story_meta(s, false)?)?
        }
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("media"));
    for s in STORIES {
        let bytes = render(s)?;
        let path: PathBuf = out_dir.join(Path::new(s.path));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    // One photo as it arrives from a stringer's card with no metadata at
    // all: its caption and credit live only in the manifest.
    let bare = render_bare(&STORIES[0], 0x5EED_0B0A)?;
    let path = out_dir.join(BARE_PATH);
    fs::write(&path, &bare)?;
    println!("wrote {} ({} bytes)", path.display(), bare.len());
    Ok(())
}

/// The photo that carries no embedded metadata.
const BARE_PATH: &str = "harbor/gulls-over-the-breakwater.jpg";

/// A plain JPEG of `s`'s scene drawn with another seed, no metadata blocks.
fn render_bare(s: &Story, seed: u64) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut canvas = Canvas::new(s.width, s.height);
    let mut rng = Rng(seed);
    (s.scene)(&mut canvas, &mut rng);
    let rgb = canvas.rgb8();
    let mut plain = Vec::new();
    JpegEncoder::new_with_quality(&mut plain, 85).write_image(
        &rgb,
        s.width,
        s.height,
        ExtendedColorType::Rgb8,
    )?;
    Ok(plain)
}
