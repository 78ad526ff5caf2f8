// End-to-end check of the HTML contact sheet in headless Chromium (playwright-core):
// one card per item, badges equal to `check --format json`, filters, keys, print, no console errors.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [html, jsonPath, manifestPath, shotPath, profile] = process.argv.slice(2);
const failures = [];
function expect(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) { failures.push(what); }
}

(async () => {
  // A persistent context is how Playwright takes a fresh --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') { problems.push(m.type() + ': ' + m.text()); } });
    page.on('pageerror', (e) => problems.push('page error: ' + e));
    page.on('request', (r) => { if (!/^(file|data):/.test(r.url())) { problems.push('network: ' + r.url()); } });
    await page.goto('file://' + path.resolve(html), { waitUntil: 'load' });

    const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    const unlisted = report.findings.filter((f) => f.code === 'M002').length;
    const cards = await page.$$eval('article.card', (els) => els.length);
    expect(cards === manifest.items.length + unlisted,
      `one card per item and unlisted file: ${cards} = ${manifest.items.length} + ${unlisted}`);

    const key = (p, c, s) => [p, c, s].join(' | ');
    const badges = (await page.$$eval('li.badge', (els) => els.map((e) => [e.dataset.path, e.dataset.code, e.dataset.severity])))
      .map((b) => key(...b)).sort();
    const findings = report.findings.map((f) => key(f.path, f.code, f.severity)).sort();
    expect(JSON.stringify(badges) === JSON.stringify(findings),
      `badges match check --format json (${badges.length} badges, ${findings.length} findings)`);
    const header = await page.$eval('#n-error', (e) => Number(e.textContent));
    expect(header === report.summary.errors, `header error count ${header} = ${report.summary.errors}`);

    const visible = () => page.$$eval('article.card', (els) => els.filter((e) => !e.hidden && e.offsetParent !== null).length);
    const visibleWhere = (fn) => page.$$eval('article.card', (els, src) => {
      const f = new Function('c', 'return ' + src);
      return els.filter((e) => !e.hidden).every((e) => f(e));
    }, fn);

    // Severity: errors only.
    await page.uncheck('input[name=sev][value=warning]');
    await page.uncheck('input[name=sev][value=info]');
    await page.uncheck('input[name=sev][value=clean]');
    const withError = new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.path)).size;
    const n1 = await visible();
    expect(n1 === withError && await visibleWhere("c.dataset.sevs.split(' ').includes('error')"),
      `errors-only filter shows the ${withError} cards with an error (saw ${n1})`);
    const shown = await page.$eval('#shown', (e) => Number(e.textContent));
    expect(shown === n1, `status line says ${shown} shown`);
    for (const v of ['warning', 'info', 'clean']) { await page.check(`input[name=sev][value=${v}]`); }
    expect(await visible() === cards, 'all severities checked shows every card again');

    // Code filter.
    const code = 'R005';
    await page.selectOption('#code', code);
    const withCode = new Set(report.findings.filter((f) => f.code === code).map((f) => f.path)).size;
    const n2 = await visible();
    expect(n2 === withCode && await visibleWhere(`c.dataset.codes.split(' ').includes('${code}')`),
      `code filter ${code} shows its ${withCode} cards (saw ${n2})`);
    await page.selectOption('#code', '');
    expect(await visible() === cards, '"All codes" shows every card again');

    // Search, then Esc clears it.
    await page.fill('#q', 'LANTERNS');
    const n3 = await visible();
    expect(n3 === 1 && await visibleWhere("c.dataset.path === 'city/night-market-lanterns.jpg'"),
      `search "LANTERNS" finds the one caption (saw ${n3})`);
    await page.press('#q', 'Escape');
    expect(await visible() === cards, 'Esc clears the search');
    await page.fill('#q', 'no such caption anywhere');
    expect(await visible() === 0 && await page.$eval('#empty', (e) => !e.hidden), 'no match shows the empty note');
    await page.press('#q', 'Escape');

    // Keyboard navigation.
    await page.keyboard.press('j');
    const first = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    const third = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.press('k');
    const second = await page.evaluate(() => document.activeElement.id);
    expect(first === 'c-0-0' && second === 'c-0-1' && third === 'c-0-2', `j/k/arrows move focus (${first}, ${second}, ${third})`);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement.id) === 'q', '/ focuses the search box');
    await page.keyboard.press('Escape');

    // Every image loaded; missing files are placeholders, not broken images.
    const broken = await page.$$eval('img', (els) => els.filter((i) => !i.complete || i.naturalWidth === 0).length);
    expect(broken === 0, `no broken images (${broken})`);
    const biggest = await page.$$eval('img', (els) => Math.max(...els.map((i) => Math.max(i.naturalWidth, i.naturalHeight))));
    expect(biggest <= 320, `thumbnails at most 320 px (${biggest})`);

    await page.screenshot({ path: shotPath });

    // Print: no controls, four cards a row.
    await page.emulateMedia({ media: 'print' });
    const controls = await page.$eval('form.controls', (e) => getComputedStyle(e).display);
    const columns = await page.$eval('.grid', (e) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
    expect(controls === 'none' && columns === 4, `print: controls hidden (${controls}), ${columns} columns`);
    await page.emulateMedia({ media: 'screen' });

    expect(problems.length === 0, 'no console errors, warnings or network requests' + (problems.length ? ': ' + problems.join('; ') : ''));
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.log(`${failures.length} browser check(s) failed`);
    process.exit(1);
  }
})().catch((e) => { console.log('FAIL ' + e); process.exit(1); });
