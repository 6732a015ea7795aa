//! Excel 97–2003 workbooks (`.xls`, BIFF8; BIFF5 too) through `calamine`:
//! saved values, formulas and merged areas from it; number formats and
//! hidden rows and columns from the walk in [`super::biff`], which also
//! bounds what calamine may build, after [`super::cfb`] has checked the
//! container calamine will walk.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Reader, SheetType, SheetVisible, Xls, XlsError};

use super::biff::{self, Bounds, Scan};
use super::cfb::{self, Fault};
use super::grid::{number_text, Filled, Merge, Sheet};
use crate::ingest::{IngestError, IngestOptions};
use crate::model::Format;

/// calamine's text for a formula it cannot decompile: no formula at all.
const UNRECOGNISED: &str = "Unrecognised formula";

/// Every worksheet of the workbook, in the workbook's order.
pub fn read(bytes: &[u8], options: &IngestOptions) -> Result<Vec<Sheet>, IngestError> {
    let fault = |f: Fault| match f {
        Fault::Corrupt(detail) => corrupt(detail),
        Fault::Limit(why) => IngestError::Limit(why),
    };
    let stream = cfb::workbook_stream(bytes, options.max_decompressed).map_err(fault)?;
    let bounds = Bounds {
        max_cells: options.max_cells,
        max_text: options.max_decompressed / 4,
    };
    let scan = biff::scan(&stream, &bounds).map_err(fault)?;
    drop(stream);
    // What the walks let through is bounded; a record calamine cannot
    // parse may still make it panic, which is a damaged file.
    catch_unwind(AssertUnwindSafe(|| sheets(bytes, &scan)))
        .unwrap_or_else(|_| Err(corrupt("calamine could not parse a record".into())))
}

fn corrupt(detail: String) -> IngestError {
    IngestError::Corrupt {
        format: Format::Xls,
        detail,
    }
}

fn sheets(bytes: &[u8], scan: &Scan) -> Result<Vec<Sheet>, IngestError> {
    let mut wb: Xls<Cursor<&[u8]>> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => IngestError::Encrypted("a password-protected Excel workbook".into()),
        e => corrupt(e.to_string()),
    })?;
    let meta: Vec<(String, SheetType, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ, s.visible != SheetVisible::Visible))
        .collect();
    let mut out = Vec::new();
    for (i, (name, typ, hidden)) in meta.into_iter().enumerate() {
        if typ != SheetType::WorkSheet {
            continue;
        }
        let bad = |e: XlsError| corrupt(format!("{name}: {e}"));
        let values = wb.worksheet_range(&name).map_err(bad)?;
        let formulas = wb.worksheet_formula(&name).map_err(bad)?;
        let mut sheet = Sheet {
            name: name.clone(),
            hidden,
            ..Sheet::default()
        };
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, v) in values.used_cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let text = match v {
                Data::Int(n) => number_text(*n as f64, scan.format(i, pos)),
                Data::Float(f) => number_text(*f, scan.format(i, pos)),
                Data::DateTime(d) => {
                    let (y, m, day, ..) = d.to_ymd_hms_milli();
                    format!("{day:02}.{m:02}.{y}")
                }
                Data::Bool(b) => if *b { "SANN" } else { "USANN" }.into(),
                Data::Error(e) => format!("#{e:?}"),
                Data::Empty => continue,
                other => other.to_string(),
            };
            let formula = formulas
                .get_value(pos)
                .filter(|f| !f.trim().is_empty() && !f.starts_with(UNRECOGNISED))
                .map(|f| f.strip_prefix('=').unwrap_or(f).to_string())
                // calamine leaves Excel's shared formulas out: the walk has them.
                .or_else(|| scan.sheets.get(i)?.shared_formulas.get(&pos).cloned());
            sheet.cells.insert(pos, Filled { text, formula });
        }
        let merges = wb.merge_cells_by_sheet_name(&name).map_err(bad)?;
        sheet.merges = Merge::all_of(&merges);
        if let Some(s) = scan.sheets.get(i) {
            sheet.hidden_rows = s.hidden_rows.clone();
            sheet.hidden_cols = s.hidden_cols.clone();
        }
        out.push(sheet);
    }
    Ok(out)
}
