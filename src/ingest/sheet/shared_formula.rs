//! Excel's shared formulas in `.xls` (BIFF8): a formula filled across a
//! row or down a column ("=SUM(B5:B9)" copied to C10:F10) is stored once,
//! in a SHRFMLA record with references relative to each cell, and every
//! cell of the block only points at it (PtgExp). calamine does not expand
//! them (the cells read as figures without a formula), so formula-range
//! would never see a total Excel filled across: the sums they hold
//! (`SUM`, `SUBTOTAL`, of ranges and cells) are written out here for each
//! cell. Anything else in a shared formula is left as no formula.

use super::cfb::read_u16;

/// The shared formula's tokens (its `rgce`) written out for the cell at
/// (`row`, `col`), when it is a sum of ranges or cells: "SUM(C5:C9)".
pub fn expand(rgce: &[u8], row: u32, col: u32) -> Option<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut at = 0;
    while at < rgce.len() {
        let ptg = rgce[at];
        let d = rgce.get(at + 1..)?;
        at += 1 + match ptg {
            // PtgRef / PtgRefN: a cell.
            0x24 | 0x44 | 0x64 | 0x2C | 0x4C | 0x6C => {
                let relative = ptg & 0x0F == 0x0C;
                let r = place(read_u16(d.get(..4)?, 0), read_u16(d, 2), relative, row, col)?;
                stack.push(name(r));
                4
            }
            // PtgArea / PtgAreaN: a range.
            0x25 | 0x45 | 0x65 | 0x2D | 0x4D | 0x6D => {
                let relative = ptg & 0x0F == 0x0D;
                let d = d.get(..8)?;
                let a = place(read_u16(d, 0), read_u16(d, 4), relative, row, col)?;
                let b = place(read_u16(d, 2), read_u16(d, 6), relative, row, col)?;
                stack.push(format!("{}:{}", name(a), name(b)));
                8
            }
            // PtgInt: SUBTOTAL's function number.
            0x1E => {
                stack.push(read_u16(d.get(..2)?, 0).to_string());
                2
            }
            // PtgAttr: a one-argument SUM (tAttrSum); spaces and others skipped.
            0x19 => {
                let kind = *d.first()?;
                if kind & 0x10 != 0 {
                    let arg = stack.pop()?;
                    stack.push(format!("SUM({arg})"));
                }
                if kind & 0x04 != 0 {
                    return None; // a CHOOSE: not a sum
                }
                3
            }
            // PtgFuncVar: SUM or SUBTOTAL of its arguments.
            0x22 | 0x42 | 0x62 => {
                let d = d.get(..3)?;
                let (n, func) = (d[0] as usize, read_u16(d, 1) & 0x7FFF);
                let name = match func {
                    4 => "SUM",
                    344 => "SUBTOTAL",
                    _ => return None,
                };
                let args = stack.split_off(stack.len().checked_sub(n)?);
                stack.push(format!("{name}({})", args.join(",")));
                3
            }
            _ => return None,
        };
    }
    (stack.len() == 1).then(|| stack.remove(0))
}

/// A reference's (row, col) for the cell at (`row`, `col`): `r` and `c`
/// as stored; relative parts are offsets when `relative` (a shared
/// formula's PtgRefN, PtgAreaN), else the cell's own.
fn place(r: u16, c: u16, relative: bool, row: u32, col: u32) -> Option<(u32, u32)> {
    let (row_rel, col_rel) = (c & 0x8000 != 0, c & 0x4000 != 0);
    let rr = if relative && row_rel {
        row.checked_add_signed(r as i16 as i32)?
    } else {
        r as u32
    };
    let cc = if relative && col_rel {
        // BIFF8 has 256 columns: a relative column is a signed byte.
        col.checked_add_signed((c & 0xFF) as u8 as i8 as i32)? & 0xFF
    } else {
        (c & 0x3FFF) as u32
    };
    Some((rr, cc))
}

fn name((row, col): (u32, u32)) -> String {
    crate::model::cell_name(row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PtgAreaN of rows `r0..=r1` (offsets), this column (offset 0).
    fn area_n(r0: i16, r1: i16) -> Vec<u8> {
        let col = 0xC000u16; // row and column relative, offset 0
        let mut v = vec![0x2D];
        for x in [r0 as u16, r1 as u16, col, col] {
            v.extend(x.to_le_bytes());
        }
        v
    }

    #[test]
    fn a_filled_sum_is_written_out_for_each_cell() {
        // "=SUM(B5:B9)" in B10, filled right: rows -5..-1 of the cell.
        let mut rgce = area_n(-5, -1);
        rgce.extend([0x19, 0x10, 0, 0]);
        assert_eq!(expand(&rgce, 9, 1).as_deref(), Some("SUM(B5:B9)"));
        assert_eq!(expand(&rgce, 9, 3).as_deref(), Some("SUM(D5:D9)"));
        // SUBTOTAL(9, …) through PtgFuncVar.
        let mut sub = vec![0x1E, 9, 0];
        sub.extend(area_n(-3, -1));
        sub.extend([0x22, 2, 0x58, 0x01]);
        assert_eq!(expand(&sub, 6, 2).as_deref(), Some("SUBTOTAL(9,C4:C6)"));
        // Anything else: no formula.
        assert_eq!(expand(&[0x1E, 1, 0, 0x1E, 2, 0, 0x03], 0, 0), None);
        assert_eq!(expand(&area_n(-20, -1), 3, 0), None);
    }
}
