//! The compound file (OLE2, MS-CFB) around an Excel 97–2003 workbook,
//! walked here before `calamine` reads it, to the same sectors and in the
//! same order, so that a damaged or hostile container fails here with a
//! message instead of there: calamine follows sector chains without
//! noticing a cycle (a directory chain that loops grows without end), takes
//! declared stream sizes at their word, and indexes its tables unchecked.
//! What this walk accepts, calamine's walk finishes within the file's size.

/// Sector ids at and above this are markers, never sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
/// A DIFAT sector's mark in the FAT; ids at and above it are not FAT sectors.
const DIFSECT: u32 = 0xFFFF_FFFC;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// One directory entry: its name, first sector and declared length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// The container's sectors and tables.
struct Container<'a> {
    bytes: &'a [u8],
    /// Bytes of the header (one sector: 512 or 4096).
    header: usize,
    size: usize,
    /// The largest sector id calamine accepts.
    max_id: u32,
    fat: Vec<u32>,
}

/// True when `bytes` are a compound file holding a workbook stream
/// ("Workbook", or "Book" of Excel 5): cheap, a search for the stream's name.
pub fn is_workbook(bytes: &[u8]) -> bool {
    let wide = |name: &str| -> Vec<u8> { name.bytes().flat_map(|b| [b, 0]).collect() };
    // Directory names are 64 bytes, zero-padded: "Book" ends with zeros.
    let (book, workbook) = (wide("Book\0"), wide("Workbook"));
    bytes.starts_with(SIGNATURE)
        && bytes
            .windows(workbook.len())
            .any(|w| w == workbook || w.starts_with(&book))
}

/// The workbook stream of a compound file, checked as calamine will read
/// it. Fails with a message on a damaged container, or with
/// `Err(Limit)` when the stream is longer than `limit` bytes.
pub fn workbook_stream(bytes: &[u8], limit: usize) -> Result<Vec<u8>, Fault> {
    let c = Container::open(bytes)?;
    let dir = c.chain(read_u32(bytes, 48), u64::MAX)?;
    let entries: Vec<Entry> = dir.chunks_exact(128).map(|e| c.entry(e)).collect();
    let root = entries
        .first()
        .ok_or_else(|| Fault::Corrupt("the compound file has no root directory".into()))?;
    let mini_sectors = read_u32(bytes, 64) as u64;
    let (mini, mini_fat) = if mini_sectors > 0 {
        let mini = c.chain(root.start, root.len)?;
        let table = c.chain(read_u32(bytes, 60), mini_sectors * c.size as u64)?;
        (mini, u32s(&table).collect())
    } else {
        (Vec::new(), Vec::new())
    };
    let find = |name: &str| {
        entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Fault::Corrupt(format!("no {name} stream")))
    };
    let read = |e: &Entry| {
        if e.len > limit as u64 {
            return Err(Fault::Limit(format!(
                "the workbook stream of {} MiB is past the {} MiB limit",
                e.len >> 20,
                limit >> 20
            )));
        }
        if e.len < 4096 {
            mini_chain(&mini, &mini_fat, e.start, e.len as usize)
        } else {
            c.chain(e.start, e.len)
        }
    };
    // As calamine: the Excel 97 name, else the Excel 5 one.
    find("Workbook")
        .and_then(read)
        .or_else(|_| find("Book").and_then(read))
}

/// Why a compound file is refused.
#[derive(Debug)]
pub enum Fault {
    Corrupt(String),
    Limit(String),
}

impl<'a> Container<'a> {
    /// The header, the DIFAT and the FAT, as calamine reads them.
    fn open(bytes: &'a [u8]) -> Result<Self, Fault> {
        if bytes.len() < 512 || !bytes.starts_with(SIGNATURE) {
            return Err(Fault::Corrupt("not a compound file".into()));
        }
        let header = match read_u16(bytes, 30) {
            9 => 512,
            12 if bytes.len() >= 4096 => 4096,
            s => return Err(Fault::Corrupt(format!("sector shift {s}"))),
        };
        if read_u16(bytes, 32) != 6 {
            return Err(Fault::Corrupt("mini sector shift is not 6".into()));
        }
        let mut c = Container {
            bytes,
            header,
            size: header,
            max_id: (bytes.len() / header) as u32,
            fat: Vec::new(),
        };
        let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
        let mut id = read_u32(bytes, 68);
        let mut steps = 0;
        while id < RESERVED {
            steps += 1;
            if steps > c.max_id as usize + 1 {
                return Err(Fault::Corrupt("the DIFAT chain loops".into()));
            }
            difat.extend(u32s(c.sector(id)?));
            id = difat
                .pop()
                .ok_or_else(|| Fault::Corrupt("an empty DIFAT sector".into()))?;
        }
        let fat_ids: Vec<u32> = difat.into_iter().filter(|&i| i < DIFSECT).collect();
        // A FAT names every sector once: more FAT sectors than the file has
        // is a table repeated to blow up what is read.
        if fat_ids.len() > c.max_id as usize + 1 {
            return Err(Fault::Corrupt(
                "more FAT sectors than the file holds".into(),
            ));
        }
        let mut fat = Vec::new();
        for id in fat_ids {
            fat.extend(u32s(c.sector(id)?));
        }
        c.fat = fat;
        Ok(c)
    }

    /// Sector `id`: calamine refuses ids past the file's sector count, and
    /// one that starts past the end of the file would make it panic.
    fn sector(&self, id: u32) -> Result<&'a [u8], Fault> {
        let start = self.header + id as usize * self.size;
        if id > self.max_id || start >= self.bytes.len() {
            return Err(Fault::Corrupt(format!("sector {id} is past the end")));
        }
        Ok(&self.bytes[start..(start + self.size).min(self.bytes.len())])
    }

    /// The bytes of the chain from `id`, at most `len` of them: a chain that
    /// loops, or leaves the FAT, is refused.
    fn chain(&self, mut id: u32, len: u64) -> Result<Vec<u8>, Fault> {
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > self.max_id as usize + 1 {
                return Err(Fault::Corrupt("a sector chain loops".into()));
            }
            let s = self.sector(id)?;
            let take = s
                .len()
                .min((len - out.len() as u64).min(usize::MAX as u64) as usize);
            out.extend_from_slice(&s[..take]);
            if out.len() as u64 >= len {
                break;
            }
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| Fault::Corrupt(format!("sector {id} is not in the FAT")))?;
        }
        Ok(out)
    }

    /// A directory entry of 128 bytes.
    fn entry(&self, e: &[u8]) -> Entry {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        let len = if self.size == 512 {
            read_u32(e, 120) as u64
        } else {
            u64::from_le_bytes(e[120..128].try_into().expect("8 bytes"))
        };
        Entry {
            name: String::from_utf16_lossy(&units),
            start: read_u32(e, 116),
            len,
        }
    }
}

/// A stream of the mini stream: 64-byte sectors chained by the mini FAT,
/// each within the mini stream (calamine would read past it from the file).
fn mini_chain(mini: &[u8], fat: &[u32], mut id: u32, len: usize) -> Result<Vec<u8>, Fault> {
    let mut out = Vec::new();
    let mut steps = 0usize;
    // As calamine: the first sector is read even for an empty stream.
    while id != END_OF_CHAIN {
        steps += 1;
        let start = id as usize * 64;
        if steps > mini.len() / 64 + 1 || start + 64 > mini.len() {
            return Err(Fault::Corrupt(
                "a mini stream chain loops or leaves it".into(),
            ));
        }
        out.extend_from_slice(&mini[start..start + 64.min(len - out.len())]);
        if out.len() >= len {
            break;
        }
        id = *fat
            .get(id as usize)
            .ok_or_else(|| Fault::Corrupt(format!("mini sector {id} is not in the mini FAT")))?;
    }
    Ok(out)
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

pub(super) fn read_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub(super) fn read_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
