//! A walk of an Excel 97–2003 workbook stream (BIFF8, and BIFF5 before it)
//! before `calamine` reads it, for two reasons. Bounds: calamine builds each
//! sheet as a dense grid over its filled cells and reserves what a sheet's
//! DIMENSIONS record declares, copies a shared string into every cell that
//! shows it, and keeps every sheet at once; so the cells, the area they
//! span, the shared strings and the text they give are counted here first,
//! and a workbook past them fails as `limit` before it is parsed. And what
//! calamine does not give for `.xls`: each figure's number format (percent,
//! thousands, currency), and the hidden rows and columns.

use std::collections::{BTreeMap, BTreeSet};

use super::cfb::{read_u16, read_u32, Fault};
use super::shared_formula::expand;

/// What the walk learns of one sheet, in the workbook's order of sheets.
#[derive(Default)]
pub struct SheetScan {
    pub hidden_rows: BTreeSet<u32>,
    pub hidden_cols: BTreeSet<u32>,
    /// The format index (XF) of each cell holding a number, by (row, col).
    xf: BTreeMap<(u32, u32), u16>,
    /// Excel's shared formulas written out for each of their cells.
    pub shared_formulas: BTreeMap<(u32, u32), String>,
    /// Shared formulas' tokens by the cell that heads them (SHRFMLA).
    shared: BTreeMap<(u32, u32), Vec<u8>>,
    /// Formula cells that point at a shared formula (PtgExp): the cell and
    /// the head.
    pointers: Vec<((u32, u32), (u32, u32))>,
}

/// What the walk learns of the workbook.
#[derive(Default)]
pub struct Scan {
    pub sheets: Vec<SheetScan>,
    /// Each XF's number format code.
    formats: Vec<String>,
}

impl Scan {
    /// The number format code of the cell at `pos` of sheet `sheet`
    /// ("" when it has none).
    pub fn format(&self, sheet: usize, pos: (u32, u32)) -> &str {
        self.sheets
            .get(sheet)
            .and_then(|s| s.xf.get(&pos))
            .and_then(|&xf| self.formats.get(xf as usize))
            .map_or("", String::as_str)
    }
}

/// What one workbook may cost.
pub struct Bounds {
    /// Filled cells, over all sheets; the areas they span may be twice it.
    pub max_cells: usize,
    /// Bytes of the shared-strings table, and of the text it puts in cells.
    pub max_text: usize,
}

/// One record: its type, its data and the data of the CONTINUE records
/// after it, as calamine joins them.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// The records of `stream` from its start, each with its end offset.
fn records(stream: &[u8]) -> impl Iterator<Item = Result<(Record<'_>, usize), Fault>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= stream.len() {
            return None;
        }
        let rec = |at: usize| -> Option<(u16, &[u8])> {
            let head = stream.get(at..at + 4)?;
            let len = read_u16(head, 2) as usize;
            Some((read_u16(head, 0), stream.get(at + 4..at + 4 + len)?))
        };
        let Some((typ, data)) = rec(at) else {
            at = stream.len();
            return Some(Err(Fault::Corrupt("a record runs past the stream".into())));
        };
        at += 4 + data.len();
        let mut cont = Vec::new();
        while let Some((0x003C, d)) = rec(at) {
            cont.push(d);
            at += 4 + d.len();
        }
        Some(Ok((Record { typ, data, cont }, at)))
    })
}

fn corrupt(what: &str) -> Fault {
    Fault::Corrupt(what.to_string())
}

/// Walks the workbook stream: globals, then every sheet's substream.
pub fn scan(stream: &[u8], bounds: &Bounds) -> Result<Scan, Fault> {
    let globals = globals(stream, bounds)?;
    let mut scan = Scan {
        formats: globals.formats,
        ..Scan::default()
    };
    let mut walked = 0usize;
    let mut cost = Cost::default();
    for &pos in &globals.sheets {
        let part = stream
            .get(pos..)
            .ok_or_else(|| corrupt("a sheet starts past the stream"))?;
        let (sheet, len) = sheet(part, &globals.sst, &mut cost, bounds)?;
        // Sheets are parts of the stream one after another: sheets that
        // share bytes would be read again and again.
        walked += len;
        if walked > stream.len() {
            return Err(corrupt("sheets overlap in the workbook stream"));
        }
        scan.sheets.push(sheet);
    }
    Ok(scan)
}

/// What the workbook globals hold that the walk needs.
struct Globals {
    /// Where each sheet (BoundSheet8) starts, in order.
    sheets: Vec<usize>,
    /// Each XF's number format code.
    formats: Vec<String>,
    /// Characters of each shared string.
    sst: Vec<u32>,
}

fn globals(stream: &[u8], bounds: &Bounds) -> Result<Globals, Fault> {
    let mut sheets = Vec::new();
    let mut codes: BTreeMap<u16, String> = BTreeMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    let mut sst = Vec::new();
    let mut biff8 = true;
    for rec in records(stream) {
        let (r, _) = rec?;
        match r.typ {
            0x0809 if r.data.len() >= 2 => biff8 = read_u16(r.data, 0) == 0x0600,
            0x0085 if r.data.len() >= 4 => sheets.push(read_u32(r.data, 0) as usize),
            0x00E0 if r.data.len() >= 4 => xfs.push(read_u16(r.data, 2)),
            0x041E => {
                if let Some((i, code)) = format_record(r.data, biff8) {
                    codes.insert(i, code);
                }
            }
            0x00FC => {
                let bytes = r.data.len() + r.cont.iter().map(|c| c.len()).sum::<usize>();
                if bytes > bounds.max_text {
                    return Err(Fault::Limit(format!(
                        "the shared strings of {} MiB are past the {} MiB limit",
                        bytes >> 20,
                        bounds.max_text >> 20
                    )));
                }
                sst = string_lengths(&r)?;
            }
            0x000A => break,
            _ => {}
        }
    }
    let formats = xfs
        .into_iter()
        .map(|i| codes.get(&i).cloned().unwrap_or_else(|| builtin(i).into()))
        .collect();
    Ok(Globals {
        sheets,
        formats,
        sst,
    })
}

/// A FORMAT record: its index and code.
fn format_record(d: &[u8], biff8: bool) -> Option<(u16, String)> {
    let index = read_u16(d.get(..2)?, 0);
    if !biff8 {
        let n = *d.get(2)? as usize;
        let code = d.get(3..3 + n)?.iter().map(|&b| b as char).collect();
        return Some((index, code));
    }
    let n = read_u16(d.get(2..4)?, 0) as usize;
    let wide = d.get(4)? & 1 == 1;
    let code = if wide {
        let units: Vec<u16> = d
            .get(5..5 + 2 * n)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        d.get(5..5 + n)?.iter().map(|&b| b as char).collect()
    };
    Some((index, code))
}

/// The formats Excel knows by number and need not write down. The
/// currency ones show the locale's unit: kroner, for these documents.
fn builtin(index: u16) -> &'static str {
    match index {
        1 => "0",
        2 => "0.00",
        3 | 37 | 38 | 41 => "#,##0",
        4 | 39 | 40 | 43 => "#,##0.00",
        5 | 6 | 42 => "#,##0 \"kr\"",
        7 | 8 | 44 => "#,##0.00 \"kr\"",
        9 => "0%",
        10 => "0.00%",
        _ => "General",
    }
}

/// The length in characters of each string of the shared-strings table,
/// walked as calamine reads it: a string's characters may run on into the
/// next CONTINUE record, which then starts with a byte of flags.
fn string_lengths(r: &Record) -> Result<Vec<u32>, Fault> {
    let short = || corrupt("the shared strings end inside a string");
    let mut parts = r.cont.iter().copied();
    let mut cur = r.data.get(8..).ok_or_else(short)?;
    let mut out = Vec::new();
    loop {
        if cur.is_empty() {
            match parts.next() {
                Some(p) => cur = p,
                None => break,
            }
            continue;
        }
        let head = cur.get(..3).ok_or_else(short)?;
        let (n, flags) = (read_u16(head, 0) as usize, head[2]);
        cur = &cur[3..];
        let mut skip = 0usize;
        if flags & 0x8 != 0 {
            skip += 4 * read_u16(cur.get(..2).ok_or_else(short)?, 0) as usize;
            cur = &cur[2..];
        }
        if flags & 0x4 != 0 {
            skip += read_u32(cur.get(..4).ok_or_else(short)?, 0) as usize;
            cur = &cur[4..];
        }
        let (mut left, mut width) = (n, 1 + (flags & 1) as usize);
        while left > 0 {
            let k = left.min(cur.len() / width);
            cur = &cur[k * width..];
            left -= k;
            if left > 0 {
                let p = parts.next().ok_or_else(short)?;
                width = 1 + (*p.first().ok_or_else(short)? & 1) as usize;
                cur = &p[1..];
            }
        }
        while skip > 0 {
            if cur.is_empty() {
                cur = parts.next().ok_or_else(short)?;
            }
            let k = skip.min(cur.len());
            cur = &cur[k..];
            skip -= k;
        }
        out.push(n as u32);
    }
    Ok(out)
}

/// What the sheets read so far cost.
#[derive(Default)]
struct Cost {
    cells: usize,
    area: u64,
    text: usize,
}

/// One sheet's substream, to its EOF (substreams nested in it, charts,
/// skipped as calamine does): its scan and the bytes it took.
fn sheet(
    part: &[u8],
    sst: &[u32],
    cost: &mut Cost,
    bounds: &Bounds,
) -> Result<(SheetScan, usize), Fault> {
    let mut s = SheetScan::default();
    let mut area = Area::default();
    let (mut depth, mut seen_bof, mut end) = (0usize, false, 0usize);
    for rec in records(part) {
        let (r, at) = rec?;
        end = at;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match r.typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => area.declared = area.declared.max(declared(r.data)?),
            _ => cell(&r, sst, &mut s, &mut area, cost)?,
        }
        // Checked as the walk goes: a sheet of millions of cells stops at
        // the limit, not after it has been counted out.
        if cost.cells + area.cells > bounds.max_cells {
            return Err(too_many(bounds));
        }
    }
    cost.cells += area.cells;
    cost.area += area.span();
    let max = bounds.max_cells as u64;
    if cost.cells > bounds.max_cells || cost.area > 2 * max || area.declared > 2 * max {
        return Err(too_many(bounds));
    }
    if cost.text > bounds.max_text {
        return Err(Fault::Limit(format!(
            "the shared strings fill cells with more than {} MiB of text",
            bounds.max_text >> 20
        )));
    }
    for (cell, head) in std::mem::take(&mut s.pointers) {
        let f = s.shared.get(&head).and_then(|t| expand(t, cell.0, cell.1));
        if let Some(f) = f {
            s.shared_formulas.insert(cell, f);
        }
    }
    s.shared.clear();
    Ok((s, end))
}

fn too_many(bounds: &Bounds) -> Fault {
    Fault::Limit(format!(
        "the spreadsheet's sheets hold or span more than {} cells",
        bounds.max_cells
    ))
}

/// The cells a sheet fills and the area around them.
#[derive(Default)]
struct Area {
    cells: usize,
    /// First and last row and column filled.
    span: Option<(u32, u32, u32, u32)>,
    /// The area the DIMENSIONS record makes calamine reserve.
    declared: u64,
}

impl Area {
    fn fill(&mut self, row: u32, col: u32) {
        self.cells += 1;
        let s = self.span.get_or_insert((row, row, col, col));
        *s = (s.0.min(row), s.1.max(row), s.2.min(col), s.3.max(col));
    }

    fn span(&self) -> u64 {
        self.span.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64
        })
    }
}

/// The area a DIMENSIONS record declares, computed as calamine does; one
/// whose last row or column comes before its first would overflow there.
fn declared(d: &[u8]) -> Result<u64, Fault> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            read_u16(d, 0) as u32,
            read_u16(d, 2) as u32,
            read_u16(d, 4) as u32,
            read_u16(d, 6) as u32,
        ),
        14 | 16 => (
            read_u32(d, 0),
            read_u32(d, 4),
            read_u16(d, 8) as u32,
            read_u16(d, 10) as u32,
        ),
        _ => return Err(corrupt("a DIMENSIONS record of a wrong length")),
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(1);
    }
    if rl - 1 < rf || cl - 1 < cf {
        return Err(corrupt("a DIMENSIONS record ends before it starts"));
    }
    Ok((rl - rf) as u64 * (cl - cf) as u64)
}

/// One record of a sheet: cells counted where calamine makes them; the
/// format of each number; hidden rows and columns.
fn cell(
    r: &Record,
    sst: &[u32],
    s: &mut SheetScan,
    area: &mut Area,
    cost: &mut Cost,
) -> Result<(), Fault> {
    let d = r.data;
    let at = |d: &[u8]| (read_u16(d, 0) as u32, read_u16(d, 2) as u32);
    let short = || corrupt("a cell record too short");
    match r.typ {
        // Number, RK, formula: a figure and its format.
        0x0203 | 0x027E | 0x0006 => {
            let pos = at(d.get(..6).ok_or_else(short)?);
            s.xf.insert(pos, read_u16(d, 4));
            area.fill(pos.0, pos.1);
            // A formula that is only a pointer (PtgExp) to a shared one.
            if let (0x0006, Some(&[0x01, r0, r1, c0, c1])) = (r.typ, d.get(22..27)) {
                let head = (u16::from_le_bytes([r0, r1]), u16::from_le_bytes([c0, c1]));
                s.pointers.push((pos, (head.0 as u32, head.1 as u32)));
            }
        }
        // SHRFMLA: a shared formula, headed by its range's first cell.
        0x04BC => {
            let head = d.get(..10).ok_or_else(short)?;
            let n = read_u16(head, 8) as usize;
            if let Some(rgce) = d.get(10..10 + n) {
                let at = (read_u16(head, 0) as u32, head[4] as u32);
                s.shared.insert(at, rgce.to_vec());
            }
        }
        // Label, rich label, bool or error, a formula's text.
        0x0204 | 0x00D6 | 0x0205 | 0x0207 => {
            let pos = at(d.get(..4).ok_or_else(short)?);
            area.fill(pos.0, pos.1);
        }
        0x00FD => {
            let pos = at(d.get(..10).ok_or_else(short)?);
            let i = read_u32(d, 6) as usize;
            // calamine copies the shared string into the cell.
            cost.text += 3 * sst.get(i).copied().unwrap_or(0) as usize;
            area.fill(pos.0, pos.1);
        }
        // MulRk: a run of figures on one row.
        0x00BD => {
            let (row, first) = at(d.get(..6).ok_or_else(short)?);
            let last = read_u16(d, d.len() - 2) as u32;
            let n = (d.len() - 6) / 6;
            if last < first || d.len() != 6 + 6 * (last - first + 1) as usize {
                return Err(corrupt("a MULRK record of a wrong length"));
            }
            for (k, col) in (first..=last).enumerate().take(n) {
                s.xf.insert((row, col), read_u16(d, 4 + 6 * k));
                area.fill(row, col);
            }
        }
        // Row: hidden when its height is zero (fDyZero).
        0x0208 if d.len() >= 16 && d[12] & 0x20 != 0 => {
            s.hidden_rows.insert(read_u16(d, 0) as u32);
        }
        // ColInfo: columns first..=last, hidden by fHidden.
        0x007D if d.len() >= 10 && d[8] & 1 != 0 => {
            let (first, last) = (read_u16(d, 0) as u32, read_u16(d, 2) as u32);
            s.hidden_cols.extend(first..=last.min(255));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    const BOUNDS: Bounds = Bounds {
        max_cells: 1000,
        max_text: 1 << 20,
    };

    /// A workbook stream of one sheet whose records are `body`.
    fn stream(body: &[Vec<u8>]) -> Vec<u8> {
        let eof = rec(0x000A, &[]);
        // Globals: BOF, BoundSheet8 (filled in below), EOF.
        let bof = rec(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        let sheet_at = bof.len() + 4 + 8 + eof.len();
        let mut s = bof.clone();
        let mut bound = (sheet_at as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        s.extend(rec(0x0085, &bound));
        s.extend(&eof);
        assert_eq!(s.len(), sheet_at);
        s.extend(rec(0x0809, &[0x00, 0x06, 0x10, 0x00]));
        for b in body {
            s.extend(b);
        }
        s.extend(eof);
        s
    }

    fn number(row: u16, col: u16, xf: u16) -> Vec<u8> {
        let mut d = [row.to_le_bytes(), col.to_le_bytes(), xf.to_le_bytes()].concat();
        d.extend(1.5f64.to_le_bytes());
        rec(0x0203, &d)
    }

    #[test]
    fn cells_hidden_rows_and_columns_are_read() {
        let mut row = vec![0u8; 16];
        row[0] = 4;
        row[12] = 0x20;
        let col = [3, 0, 4, 0, 0, 0, 0, 0, 1, 0];
        let s = stream(&[number(0, 0, 0), rec(0x0208, &row), rec(0x007D, &col)]);
        let scan = scan(&s, &BOUNDS).ok().unwrap();
        assert_eq!(scan.sheets.len(), 1);
        assert_eq!(scan.sheets[0].hidden_rows.iter().collect::<Vec<_>>(), [&4]);
        assert_eq!(scan.sheets[0].hidden_cols.len(), 2);
    }

    #[test]
    fn a_sheet_spanning_too_far_or_declaring_too_much_is_a_limit() {
        let far = stream(&[number(0, 0, 0), number(60_000, 200, 0)]);
        assert!(matches!(scan(&far, &BOUNDS), Err(Fault::Limit(_))));
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend(4_000_000u32.to_le_bytes());
        dims.extend([0, 0, 0, 1, 0, 0]);
        let declared = stream(&[rec(0x0200, &dims)]);
        assert!(matches!(scan(&declared, &BOUNDS), Err(Fault::Limit(_))));
        let mut backwards = 9u32.to_le_bytes().to_vec();
        backwards.extend(2u32.to_le_bytes());
        backwards.extend([0, 0, 3, 0, 0, 0]);
        let bad = stream(&[rec(0x0200, &backwards)]);
        assert!(matches!(scan(&bad, &BOUNDS), Err(Fault::Corrupt(_))));
    }

    #[test]
    fn truncated_streams_are_corrupt() {
        let s = stream(&[number(0, 0, 0)]);
        for cut in [5, s.len() - 3] {
            assert!(matches!(scan(&s[..cut], &BOUNDS), Err(Fault::Corrupt(_))));
        }
    }

    /// A FORMULA record at (row, col) pointing at the shared formula
    /// headed by (9, 1).
    fn pointer(row: u16, col: u16) -> Vec<u8> {
        let mut d = [row.to_le_bytes(), col.to_le_bytes(), [0, 0]].concat();
        d.extend([0u8; 14]);
        d.extend(5u16.to_le_bytes());
        d.extend([0x01, 9, 0, 1, 0]);
        rec(0x0006, &d)
    }

    #[test]
    fn shared_formulas_are_written_out_for_each_cell() {
        // SHRFMLA over B10:D10: SUM of rows -5..-1 of each cell's column.
        let mut d = [9u16.to_le_bytes(), 9u16.to_le_bytes()].concat();
        d.extend([1, 3, 0, 3]);
        let rgce = [
            0x2D, 0xFB, 0xFF, 0xFF, 0xFF, 0, 0xC0, 0, 0xC0, 0x19, 0x10, 0, 0,
        ];
        d.extend((rgce.len() as u16).to_le_bytes());
        d.extend(rgce);
        let s = stream(&[pointer(9, 1), rec(0x04BC, &d), pointer(9, 2), pointer(9, 3)]);
        let scan = scan(&s, &BOUNDS).ok().unwrap();
        let f: Vec<&str> = scan.sheets[0]
            .shared_formulas
            .values()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(f, ["SUM(B5:B9)", "SUM(C5:C9)", "SUM(D5:D9)"]);
    }

    #[test]
    fn shared_string_lengths_follow_continue_records() {
        // Two strings: "ab" (8-bit), then "xyz" split: "x" in the record,
        // "yz" in a CONTINUE starting with its flags byte.
        let mut data = vec![0u8; 8];
        data.extend([2, 0, 0, b'a', b'b', 3, 0, 0, b'x']);
        let cont: &[u8] = &[0, b'y', b'z'];
        let r = Record {
            typ: 0x00FC,
            data: &data,
            cont: vec![cont],
        };
        assert_eq!(string_lengths(&r).ok().unwrap(), [2, 3]);
    }

    #[test]
    fn builtin_formats_keep_percent_thousands_and_kroner() {
        assert_eq!(builtin(9), "0%");
        assert_eq!(builtin(3), "#,##0");
        assert!(builtin(5).contains("kr"));
        assert_eq!(builtin(0), "General");
    }
}
