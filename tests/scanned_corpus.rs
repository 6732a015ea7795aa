//! The whole-document metamorphic test of OCR (issue 24): each corpus PDF
//! (`../shared/corpus-pdf/*.pdf`) is scanned, here and now, into an
//! image-only PDF, and the scan's record must give the born-digital
//! record's goals, measures, amounts and findings within OCR error.
//!
//! The scan, made at run time (the PDFs would be tens of megabytes): every
//! page rendered by poppler's `pdftoppm` in grey at [`DPI`], then what a
//! flatbed scanner and a hurried hand do to it, in Rust ([`scanner`]):
//! softened a little, paper tone, turned by a skew of 0.3–0.9° either way,
//! grain and specks, JPEG quality 60; the JPEGs wrapped as a PDF with no
//! text at all. The noise is seeded: the same scan every run.
//!
//! What is compared ([`compare`]), born-digital against scan:
//! - goals and measures by number and title (a title within
//!   [`TITLE_SIMILAR`] of the born one is the same, misread);
//! - amounts page by page: every born figure is on the scan's page, or its
//!   absence is explained by a figure OCR was unsure of (confidence below
//!   `SURE_OCR`) in its place (at most two digits from it);
//! - findings by rule and stated and computed figures: every born finding
//!   is on the scan, or its absence is explained by a figure OCR was unsure
//!   of on its page; and errors of the scan that the born-digital record
//!   has not are at most one in [`PAGES_PER_NEW_ERROR`] pages.
//!
//! Every difference is printed with its cause (`cargo test --test
//! scanned_corpus -- --nocapture`). Three documents were used while tuning
//! the OCR reading ([`TUNED`]); the others are the blind batch, scored
//! before any tuning looked at them, held to the same bars.
//!
//! Skips (saying why) without `../shared`; fails under CI, which installs
//! them, without `pdftoppm` or Tesseract's Norwegian model, skips elsewhere.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use plansjekk::record::{AmountRec, Finding, Record};
use plansjekk::rules::SURE_OCR;
use rayon::prelude::*;

/// Resolution of the scan: an office scanner's default.
const DPI: u32 = 200;
/// The documents used while tuning the OCR reading; any other is blind.
const TUNED: [&str; 3] = [
    "bolyst-arsrapport-2014-midt-troms",
    "handlingsplan-2025-bygdevekst-indre-namdal",
    "handlingsprogram-regional-plan-inkluderende-innlandet-2022",
];
/// Normalised Levenshtein similarity at which a title is the same, misread.
const TITLE_SIMILAR: f64 = 0.85;
// The bars, set from the tuned batch (measured there: goals 25/26, measures
// 39/65, amounts 140/142, findings 18/19, 2 new errors in 47 pages) a little
// below what it gives, and held for the blind batch too.
/// Share of the born-digital goals the scans must give.
const GOAL_RECALL: f64 = 0.9;
/// Share of the born-digital measures the scans must give. Low: a measure
/// that is a list item's title or a heading is told apart from the text
/// under it by its typeface, which OCR does not give (the handlingsprogram's
/// italic bullet titles: 15 of 35), and a heading wrapped over two lines at
/// body size reads as a paragraph.
const MEASURE_RECALL: f64 = 0.55;
/// Share of the born-digital amounts the scans must give, found or
/// explained by an unsure figure.
const AMOUNT_RECALL: f64 = 0.95;
/// Share of the born-digital findings the scans must give, found or
/// explained.
const FINDING_RECALL: f64 = 0.9;
/// Errors on a scan that the born-digital record has not, OCR sure of their
/// figures, at most one in this many pages: a figure given to the goal
/// above where a heading was not read as one (see [`MEASURE_RECALL`]).
const PAGES_PER_NEW_ERROR: u32 = 20;

/// Tools the scan needs, or why the test does not run.
fn tools() -> Option<PathBuf> {
    let shared = common::shared()?;
    let ok = |cmd: &str, arg: &str| Command::new(cmd).arg(arg).output().ok();
    if ok("pdftoppm", "-v").is_none() {
        common::skip_unless_ci(
            "pdftoppm is missing (apt-get install poppler-utils; .ci/run installs it)",
        );
        return None;
    }
    let nor = ok("tesseract", "--list-langs").is_some_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l.trim() == "nor")
    });
    if !nor {
        common::skip_unless_ci(
            "tesseract with the Norwegian model is missing (apt-get install tesseract-ocr tesseract-ocr-nor; .ci/run installs them)",
        );
        return None;
    }
    Some(shared.join("corpus-pdf"))
}

/// The corpus PDFs, by name without `.pdf`, in name order.
fn corpus(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_name()?.to_str()?.strip_suffix(".pdf")?.to_string();
            Some((name, p))
        })
        .collect();
    out.sort();
    out
}

mod scanner {
    //! A page as a scanner gives it, from a render by `pdftoppm`.

    use std::path::Path;
    use std::process::Command;

    /// A grey image, row by row.
    pub struct Grey {
        pub w: usize,
        pub h: usize,
        pub px: Vec<u8>,
    }

    /// xorshift64*: seeded noise, the same every run.
    pub struct Noise(u64);

    impl Noise {
        pub fn new(seed: u64) -> Noise {
            Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// In [0, 1).
        pub fn unit(&mut self) -> f32 {
            (self.next() >> 40) as f32 / (1u64 << 24) as f32
        }
    }

    /// Page `page` of `pdf` rendered in grey at `dpi`.
    pub fn render(pdf: &Path, page: u32, dpi: u32, dir: &Path) -> Grey {
        let base = dir.join(format!("render-{page}"));
        let p = page.to_string();
        let status = Command::new("pdftoppm")
            .args([
                "-f",
                &p,
                "-l",
                &p,
                "-r",
                &dpi.to_string(),
                "-gray",
                "-singlefile",
            ])
            .arg(pdf)
            .arg(&base)
            .status()
            .unwrap();
        assert!(status.success(), "pdftoppm {}: {status}", pdf.display());
        let path = base.with_extension("pgm");
        let bytes = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        pgm(&bytes)
    }

    /// A binary PGM (P5, 8 bits), as pdftoppm writes it.
    fn pgm(bytes: &[u8]) -> Grey {
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            while bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
        }
        assert_eq!(fields[0], "P5");
        let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        let px = bytes[at + 1..at + 1 + w * h].to_vec();
        Grey { w, h, px }
    }

    /// Softened (a scanner's optics: a blur of about 0.6 pixel), the white
    /// of the page a light grey (paper), turned by `skew` degrees, then
    /// grain (3 %) and a speck in every 2000 pixels.
    pub fn scan(g: &Grey, skew: f32, noise: &mut Noise) -> Grey {
        let soft = blur(g);
        let toned: Vec<u8> = soft
            .px
            .iter()
            .map(|&v| (20 + u32::from(v) * 215 / 255) as u8)
            .collect();
        let mut out = rotate(&Grey { px: toned, ..soft }, skew);
        for v in &mut out.px {
            let grain = (noise.next() & 0xFF) as f32;
            *v = (f32::from(*v) * 0.97 + grain * 0.03) as u8;
        }
        for _ in 0..out.w * out.h / 2000 {
            let i = (noise.next() % (out.w * out.h) as u64) as usize;
            out.px[i] = [30, 60, 250][(noise.next() % 3) as usize];
        }
        out
    }

    /// A separable blur of weights 1-4-1 (a Gaussian of σ ≈ 0.6).
    fn blur(g: &Grey) -> Grey {
        let (w, h) = (g.w, g.h);
        let at = |px: &[u8], x: usize, y: usize| u32::from(px[y * w + x]);
        let mut row = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
                let v = at(&g.px, l, y) + 4 * at(&g.px, x, y) + at(&g.px, r, y);
                row[y * w + x] = ((v + 3) / 6) as u8;
            }
        }
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
            for x in 0..w {
                let v = at(&row, x, u) + 4 * at(&row, x, y) + at(&row, x, d);
                px[y * w + x] = ((v + 3) / 6) as u8;
            }
        }
        Grey { w, h, px }
    }

    /// Turned by `degrees` about the centre (bilinear), the corners it
    /// uncovers paper grey.
    fn rotate(g: &Grey, degrees: f32) -> Grey {
        let (w, h) = (g.w, g.h);
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let mut px = vec![235u8; w * h];
        for y in 0..h {
            let dy = y as f32 - cy;
            for x in 0..w {
                let dx = x as f32 - cx;
                let sx = cos * dx + sin * dy + cx;
                let sy = -sin * dx + cos * dy + cy;
                if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                    continue;
                }
                let (x0, y0) = (sx as usize, sy as usize);
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let p = |x: usize, y: usize| f32::from(g.px[y * w + x]);
                let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
                let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
                px[y * w + x] = (top * (1.0 - fy) + bottom * fy + 0.5) as u8;
            }
        }
        Grey { w, h, px }
    }

    /// The image as a JPEG of quality 60 that says its resolution.
    pub fn jpeg(g: &Grey, dpi: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 60);
        e.set_density(jpeg_encoder::PixelDensity::dpi(dpi as u16));
        e.encode(&g.px, g.w as u16, g.h as u16, jpeg_encoder::ColorType::Luma)
            .unwrap();
        out
    }

    /// A PDF of one page per JPEG (data, pixel size), the image over the
    /// whole page at `dpi`: no text at all.
    pub fn pdf(pages: &[(Vec<u8>, (usize, usize))], dpi: u32) -> Vec<u8> {
        let mut objects: Vec<Vec<u8>> = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
        let kids: Vec<String> = (0..pages.len())
            .map(|i| format!("{} 0 R", 3 + 3 * i))
            .collect();
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                pages.len()
            )
            .into_bytes(),
        );
        for (i, (data, (w, h))) in pages.iter().enumerate() {
            let (pw, ph) = (*w as f32 * 72.0 / dpi as f32, *h as f32 * 72.0 / dpi as f32);
            let (content, image) = (4 + 3 * i, 5 + 3 * i);
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>"
            ).into_bytes());
            let draw = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q\n");
            objects.push(
                format!("<< /Length {} >>\nstream\n{draw}endstream", draw.len()).into_bytes(),
            );
            let mut img = format!(
                "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
                data.len()
            )
            .into_bytes();
            img.extend_from_slice(data);
            img.extend_from_slice(b"\nendstream");
            objects.push(img);
        }
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let size = objects.len() + 1;
        out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n")
                .as_bytes(),
        );
        out
    }
}

/// The scan of `pdf`'s `pages` pages, written into `dir`: each page
/// turned by its own seeded skew, the pages scanned in parallel.
fn scan_document(name: &str, pdf: &Path, pages: u32, dir: &Path) -> PathBuf {
    let work = dir.join(format!("{name}-pages"));
    std::fs::create_dir_all(&work).unwrap();
    let images: Vec<(Vec<u8>, (usize, usize))> = (1..=pages)
        .into_par_iter()
        .map(|p| {
            let seed = name.bytes().fold(u64::from(p), |h, b| {
                h.wrapping_mul(31).wrapping_add(u64::from(b))
            });
            let mut noise = scanner::Noise::new(seed);
            let turn = 0.3 + 0.6 * noise.unit();
            let skew = if noise.next() & 1 == 0 { turn } else { -turn };
            let g = scanner::scan(&scanner::render(pdf, p, DPI, &work), skew, &mut noise);
            (scanner::jpeg(&g, DPI), (g.w, g.h))
        })
        .collect();
    let out = dir.join(format!("{name}.pdf"));
    std::fs::write(&out, scanner::pdf(&images, DPI)).unwrap();
    out
}

mod compare {
    //! The born-digital record against the scan's: what is the same, what
    //! differs and why.

    use super::*;

    /// Born-digital items: how many, how many the scan gives, how many it
    /// lacks for a reason OCR gives (an unsure figure), and how many the
    /// scan has besides.
    #[derive(Default, Clone, Copy)]
    pub struct Tally {
        pub born: usize,
        pub same: usize,
        pub explained: usize,
        pub extra: usize,
    }

    impl Tally {
        pub fn add(&mut self, o: Tally) {
            self.born += o.born;
            self.same += o.same;
            self.explained += o.explained;
            self.extra += o.extra;
        }
        pub fn recall(&self) -> f64 {
            if self.born == 0 {
                return 1.0;
            }
            (self.same + self.explained) as f64 / self.born as f64
        }
        pub fn show(&self) -> String {
            format!(
                "{}/{}{}{}",
                self.same,
                self.born,
                if self.explained > 0 {
                    format!(" +{} unsure", self.explained)
                } else {
                    String::new()
                },
                if self.extra > 0 {
                    format!(" ({} more)", self.extra)
                } else {
                    String::new()
                }
            )
        }
    }

    /// One difference and its cause.
    pub struct Diff {
        pub what: &'static str,
        pub text: String,
        pub cause: String,
    }

    /// One document compared.
    #[derive(Default)]
    pub struct Compared {
        pub goals: Tally,
        pub measures: Tally,
        pub amounts: Tally,
        pub findings: Tally,
        /// Findings the scan has, as errors, that the born record has not.
        pub new_errors: usize,
        pub diffs: Vec<Diff>,
    }

    fn norm(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    /// A goal or measure: its number and title, and where the record says
    /// it was seen (a measure's `seen_in`).
    pub type Titled = (Option<String>, String, String);

    /// Items named by number and title, matched greedily by similarity.
    pub fn titled(
        what: &'static str,
        born: &[Titled],
        scan: &[Titled],
        diffs: &mut Vec<Diff>,
    ) -> Tally {
        let show = |(n, t, seen): &Titled| {
            let seen = if seen.is_empty() {
                String::new()
            } else {
                format!(" [{seen}]")
            };
            match n {
                Some(n) => format!("{n} {t}{seen}"),
                None => format!("{t}{seen}"),
            }
        };
        let key = |(n, t, _): &Titled| norm(&format!("{} {t}", n.as_deref().unwrap_or("")));
        let mut used = vec![false; scan.len()];
        let mut t = Tally {
            born: born.len(),
            ..Tally::default()
        };
        for b in born {
            let want = key(b);
            let best = scan
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, s)| (i, strsim::normalized_levenshtein(&want, &key(s))))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, sim)) if sim >= TITLE_SIMILAR => {
                    used[i] = true;
                    t.same += 1;
                    if sim < 1.0 {
                        diffs.push(Diff {
                            what,
                            text: show(b),
                            cause: format!("same, misread as «{}» ({sim:.2})", show(&scan[i])),
                        });
                    }
                }
                Some((i, sim)) => diffs.push(Diff {
                    what,
                    text: show(b),
                    cause: format!(
                        "missing; nearest on the scan «{}» ({sim:.2})",
                        show(&scan[i])
                    ),
                }),
                None => diffs.push(Diff {
                    what,
                    text: show(b),
                    cause: "missing; the scan has none left".into(),
                }),
            }
        }
        for (i, s) in scan.iter().enumerate().filter(|(i, _)| !used[*i]) {
            let _ = i;
            t.extra += 1;
            diffs.push(Diff {
                what,
                text: show(s),
                cause: "only on the scan".into(),
            });
        }
        t
    }

    fn digits(s: &str) -> String {
        s.chars().filter(char::is_ascii_digit).collect()
    }

    /// Every born amount on the scan's same page: the same value, else a
    /// figure within two digits of it (misread: explained when OCR was
    /// unsure of it), else missing with what the scan has of its digits.
    pub fn amounts(born: &Record, scan: &Record, c: &mut Compared) {
        let mut used = vec![false; scan.amounts.len()];
        let mut absent: Vec<&AmountRec> = Vec::new();
        for b in &born.amounts {
            c.amounts.born += 1;
            let hit = scan
                .amounts
                .iter()
                .enumerate()
                .position(|(i, s)| !used[i] && s.span.page == b.span.page && s.nok == b.nok);
            match hit {
                Some(i) => {
                    used[i] = true;
                    c.amounts.same += 1;
                }
                None => absent.push(b),
            }
        }
        for b in absent {
            let want = digits(&b.text);
            let near = scan
                .amounts
                .iter()
                .enumerate()
                .filter(|(i, s)| !used[*i] && s.span.page == b.span.page)
                .map(|(i, s)| (i, strsim::levenshtein(&want, &digits(&s.text))))
                .filter(|(_, d)| *d <= 2)
                .min_by_key(|(_, d)| *d);
            let page = b.span.page.unwrap_or(0);
            let text = format!("p{page} «{}»", b.text);
            let cause = match near {
                Some((i, _)) => {
                    used[i] = true;
                    let s = &scan.amounts[i];
                    let conf = s.ocr.unwrap_or(100);
                    if conf < SURE_OCR.0 {
                        c.amounts.explained += 1;
                    }
                    format!("read as «{}», OCR {conf}", s.text)
                }
                None if on_page(scan, page, &want) => {
                    "its digits are on the scan's page, not read as this amount".into()
                }
                None => "not on the scan's page (no figure within two digits)".into(),
            };
            c.diffs.push(Diff {
                what: "amount",
                text,
                cause,
            });
        }
        c.amounts.extra = used.iter().filter(|u| !**u).count();
    }

    /// Whether the scan's page holds `digits` in its text or a table row.
    fn on_page(scan: &Record, page: u32, want: &str) -> bool {
        let texts = scan
            .text
            .iter()
            .filter(|t| t.span.page == Some(page))
            .map(|t| digits(&t.text));
        let rows = scan
            .tables
            .iter()
            .flat_map(|t| &t.rows)
            .map(|r| digits(&r.join(" ")));
        texts.chain(rows).any(|d| d.contains(want))
    }

    fn pages(f: &Finding) -> Vec<u32> {
        f.locations.iter().filter_map(|l| l.page).collect()
    }

    fn show(f: &Finding) -> String {
        format!(
            "{} {} p{:?}: {}",
            f.severity,
            f.rule,
            pages(f),
            f.message.chars().take(140).collect::<String>()
        )
    }

    /// Findings by rule and figures; one missing on the scan is explained
    /// by an unsure figure of the scan on its pages.
    pub fn findings(born: &Record, scan: &Record, c: &mut Compared) {
        let mut used = vec![false; scan.findings.len()];
        for b in &born.findings {
            c.findings.born += 1;
            let hit = scan.findings.iter().enumerate().position(|(i, s)| {
                !used[i] && s.rule == b.rule && s.stated == b.stated && s.computed == b.computed
            });
            if let Some(i) = hit {
                used[i] = true;
                c.findings.same += 1;
                continue;
            }
            let on = pages(b);
            let unsure = scan.amounts.iter().find(|a| {
                a.span.page.is_some_and(|p| on.contains(&p))
                    && a.ocr.is_some_and(|o| o < SURE_OCR.0)
            });
            let cause = match unsure {
                Some(a) => {
                    c.findings.explained += 1;
                    format!(
                        "missing; OCR unsure of «{}» ({:?}) on its page",
                        a.text, a.ocr
                    )
                }
                None => "missing; its figures were read surely".into(),
            };
            c.diffs.push(Diff {
                what: "finding",
                text: show(b),
                cause,
            });
        }
        for (i, s) in scan.findings.iter().enumerate() {
            if used[i] {
                continue;
            }
            c.findings.extra += 1;
            if s.severity == "error" {
                c.new_errors += 1;
            }
            c.diffs.push(Diff {
                what: "finding",
                text: show(s),
                cause: format!("only on the scan (OCR {:?}, {})", s.ocr, s.confidence),
            });
        }
    }

    /// The two records compared.
    pub fn records(born: &Record, scan: &Record) -> Compared {
        let mut c = Compared::default();
        let goals = |r: &Record| -> Vec<Titled> {
            r.goals
                .iter()
                .map(|g| (g.number.clone(), g.title.clone(), String::new()))
                .collect()
        };
        let measures = |r: &Record| -> Vec<Titled> {
            r.measures
                .iter()
                .map(|m| (m.number.clone(), m.title.clone(), m.seen_in.join(",")))
                .collect()
        };
        c.goals = titled("goal", &goals(born), &goals(scan), &mut c.diffs);
        c.measures = titled("measure", &measures(born), &measures(scan), &mut c.diffs);
        amounts(born, scan, &mut c);
        findings(born, scan, &mut c);
        c
    }
}

/// One document: scanned, both read, compared.
struct Outcome {
    name: String,
    blind: bool,
    pages: u32,
    scan_seconds: f64,
    read_seconds: f64,
    compared: compare::Compared,
}

fn outcome(name: &str, pdf: &Path, dir: &Path) -> Outcome {
    let born = common::process(pdf).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let pages = born.source.pages.unwrap();
    let t = Instant::now();
    let scan_pdf = scan_document(name, pdf, pages, dir);
    let scan_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let scan = common::process(&scan_pdf).unwrap_or_else(|e| panic!("{name} scanned: {e:?}"));
    let read_seconds = t.elapsed().as_secs_f64();
    assert_eq!(
        scan.source.ocr.len() as u32,
        pages,
        "{name}: every page of the scan is read by OCR"
    );
    assert!(
        born.source.ocr.is_empty(),
        "{name}: the born PDF is no scan"
    );
    Outcome {
        name: name.to_string(),
        blind: !TUNED.contains(&name),
        pages,
        scan_seconds,
        read_seconds,
        compared: compare::records(&born, &scan),
    }
}

fn print(o: &Outcome) {
    let c = &o.compared;
    eprintln!(
        "\n{} ({}, {} pages; scanned in {:.1} s, read in {:.1} s): goals {}, measures {}, amounts {}, findings {}{}",
        o.name,
        if o.blind { "blind" } else { "tuned" },
        o.pages,
        o.scan_seconds,
        o.read_seconds,
        c.goals.show(),
        c.measures.show(),
        c.amounts.show(),
        c.findings.show(),
        if c.new_errors > 0 {
            format!(", {} new errors", c.new_errors)
        } else {
            String::new()
        }
    );
    for d in &c.diffs {
        eprintln!("  {:8} {} — {}", d.what, d.text, d.cause);
    }
}

#[test]
fn each_corpus_pdf_scanned_gives_its_born_digital_record() {
    let Some(dir) = tools() else { return };
    let t = Instant::now();
    let keep = std::env::var_os("PLANSJEKK_KEEP_SCANS").map(PathBuf::from);
    let tmp = std::env::temp_dir().join(format!("plansjekk-scanned-corpus-{}", std::process::id()));
    let out = keep.clone().unwrap_or(tmp.clone());
    std::fs::create_dir_all(&out).unwrap();
    let docs = corpus(&dir);
    assert!(docs.len() >= 5, "{}: {} PDFs", dir.display(), docs.len());
    let outcomes: Vec<Outcome> = docs
        .par_iter()
        .map(|(name, pdf)| outcome(name, pdf, &out))
        .collect();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    for o in &outcomes {
        print(o);
    }
    for blind in [false, true] {
        let mut total = compare::Compared::default();
        let mut pages = 0;
        for o in outcomes.iter().filter(|o| o.blind == blind) {
            total.goals.add(o.compared.goals);
            total.measures.add(o.compared.measures);
            total.amounts.add(o.compared.amounts);
            total.findings.add(o.compared.findings);
            total.new_errors += o.compared.new_errors;
            pages += o.pages;
        }
        let which = if blind { "blind" } else { "tuned" };
        eprintln!(
            "\n{which}: {pages} pages; goals {}, measures {}, amounts {}, findings {}, {} new errors",
            total.goals.show(),
            total.measures.show(),
            total.amounts.show(),
            total.findings.show(),
            total.new_errors
        );
        check(which, &total, pages);
    }
    eprintln!("\nthe whole test took {:.1} s", t.elapsed().as_secs_f64());
}

/// The bars, the same for the tuned and the blind batch.
fn check(which: &str, t: &compare::Compared, pages: u32) {
    for (what, tally, bar) in [
        ("goals", t.goals, GOAL_RECALL),
        ("measures", t.measures, MEASURE_RECALL),
        ("amounts", t.amounts, AMOUNT_RECALL),
        ("findings", t.findings, FINDING_RECALL),
    ] {
        assert!(
            tally.recall() >= bar,
            "{which}: {:.3} of the {what} found or explained, below {bar}",
            tally.recall()
        );
    }
    let tolerated = (pages / PAGES_PER_NEW_ERROR) as usize;
    assert!(
        t.new_errors <= tolerated,
        "{which}: the scans have {} errors the born-digital PDFs have not, over {tolerated} in {pages} pages",
        t.new_errors
    );
}
