//! The images of a scanned page, taken from the PDF as files Tesseract
//! reads, at their own resolution: a JPEG (DCTDecode) or JPEG 2000 (JPXDecode)
//! passed through as it is stored; fax-coded bilevel images (CCITTFaxDecode)
//! wrapped, still coded, in a TIFF; raw samples (Flate, LZW, run-length or
//! none) written as a PNM (PBM for bilevel, PGM for grey, colour turned grey:
//! OCR reads grey). JBIG2 is not decoded.
//!
//! Bounds: an image's size is checked from its dictionary and, for a JPEG,
//! from its own header before anything is decoded; samples are inflated
//! within the document's limit for one stream.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use thiserror::Error;

/// An image ready for OCR.
#[derive(Clone, Debug, PartialEq)]
pub struct PageImage {
    pub data: Vec<u8>,
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// The file format an image is handed to Tesseract in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Jpeg2000,
    /// CCITT fax-coded, in a TIFF.
    Tiff,
    /// PBM or PGM.
    Pnm,
}

impl ImageKind {
    /// The file name extension Tesseract's image library expects.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Jpeg2000 => "jp2",
            ImageKind::Tiff => "tif",
            ImageKind::Pnm => "pnm",
        }
    }
}

/// Why an image was not handed to OCR.
#[derive(Debug, Error, PartialEq)]
pub enum ImageError {
    #[error("its {0} coding is not read (no decoder)")]
    Unsupported(String),
    #[error("it is {width}×{height} pixels, over the limit of {limit} megapixels for OCR")]
    TooLarge { width: u64, height: u64, limit: u64 },
    #[error("it is damaged: {0}")]
    Corrupt(String),
}

/// Bounds on one image.
#[derive(Clone, Copy, Debug)]
pub struct ImageLimits {
    /// Pixels (width × height).
    pub max_pixels: u64,
    /// Bytes of inflated samples.
    pub max_bytes: usize,
}

/// The image object `id` as a file for OCR.
pub fn extract(pdf: &Document, id: ObjectId, limits: ImageLimits) -> Result<PageImage, ImageError> {
    let stream = pdf
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| ImageError::Corrupt(format!("not an image stream ({e})")))?;
    let dict = &stream.dict;
    let dim = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0)
    };
    let (width, height) = (dim(b"Width"), dim(b"Height"));
    if width <= 0 || height <= 0 {
        return Err(ImageError::Corrupt("no width or height".into()));
    }
    check_size(width as u64, height as u64, limits)?;
    let filters: Vec<Vec<u8>> = stream
        .filters()
        .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let last = filters.last().map(Vec::as_slice);
    let coded = |n: usize| coded_bytes(stream, n, limits.max_bytes);
    let (w, h) = (width as u32, height as u32);
    match last {
        Some(b"DCTDecode" | b"DCT") => {
            let data = coded(filters.len() - 1)?;
            let (jw, jh) = jpeg_size(&data).ok_or_else(|| {
                ImageError::Corrupt("the JPEG data has no readable frame header".into())
            })?;
            check_size(u64::from(jw), u64::from(jh), limits)?;
            Ok(image(data, ImageKind::Jpeg, jw, jh))
        }
        Some(b"JPXDecode") => Ok(image(coded(filters.len() - 1)?, ImageKind::Jpeg2000, w, h)),
        Some(b"CCITTFaxDecode" | b"CCF") => {
            let params = decode_parms(pdf, dict, filters.len() - 1);
            let data = coded(filters.len() - 1)?;
            Ok(image(
                ccitt_tiff(&data, w, h, params, inverted(dict)),
                ImageKind::Tiff,
                w,
                h,
            ))
        }
        Some(b"JBIG2Decode") => Err(ImageError::Unsupported("JBIG2".into())),
        Some(other)
            if !matches!(
                other,
                b"FlateDecode" | b"Fl" | b"LZWDecode" | b"LZW" | b"RunLengthDecode" | b"RL"
            ) && !other.starts_with(b"ASCII") =>
        {
            Err(ImageError::Unsupported(
                String::from_utf8_lossy(other).into_owned(),
            ))
        }
        _ => {
            let samples = coded(filters.len())?;
            let layout = Samples::of(pdf, dict)?;
            Ok(image(layout.pnm(&samples, w, h)?, ImageKind::Pnm, w, h))
        }
    }
}

fn image(data: Vec<u8>, kind: ImageKind, width: u32, height: u32) -> PageImage {
    PageImage {
        data,
        kind,
        width,
        height,
    }
}

fn check_size(width: u64, height: u64, limits: ImageLimits) -> Result<(), ImageError> {
    if width.saturating_mul(height) > limits.max_pixels {
        return Err(ImageError::TooLarge {
            width,
            height,
            limit: limits.max_pixels / 1_000_000,
        });
    }
    Ok(())
}

/// The stream's bytes after its first `n` filters (the ones before an image
/// coding: `[/ASCII85Decode /DCTDecode]`), within `max` bytes.
fn coded_bytes(stream: &Stream, n: usize, max: usize) -> Result<Vec<u8>, ImageError> {
    if n == 0 {
        if stream.content.len() > max {
            return Err(ImageError::Corrupt(
                "the image data is over the size limit".into(),
            ));
        }
        return Ok(stream.content.clone());
    }
    let mut dict = stream.dict.clone();
    let keep = |o: Option<&Object>| match o {
        Some(Object::Array(a)) => Some(Object::Array(a.iter().take(n).cloned().collect())),
        Some(other) if n >= 1 => Some(other.clone()),
        _ => None,
    };
    if let Some(f) = keep(stream.dict.get(b"Filter").ok()) {
        dict.set("Filter", f);
    }
    if let Some(p) = keep(stream.dict.get(b"DecodeParms").ok()) {
        dict.set("DecodeParms", p);
    }
    Stream::new(dict, stream.content.clone())
        .decompressed_content_with_limit(max)
        .map_err(|e| ImageError::Corrupt(format!("its data cannot be inflated ({e})")))
}

/// The width and height a JPEG's frame header gives.
pub fn jpeg_size(data: &[u8]) -> Option<(u32, u32)> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 9 < data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        let frame = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if frame {
            let h = u16::from_be_bytes([data[i + 5], data[i + 6]]);
            let w = u16::from_be_bytes([data[i + 7], data[i + 8]]);
            return (w > 0 && h > 0).then_some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

/// The decode parameters of filter `index`.
fn decode_parms<'a>(
    pdf: &'a Document,
    dict: &'a Dictionary,
    index: usize,
) -> Option<&'a Dictionary> {
    let deref = |o: &'a Object| pdf.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok());
    match dict.get(b"DecodeParms").ok()? {
        Object::Array(a) => a.get(index).and_then(deref),
        other => deref(other),
    }
}

/// The image's `/Decode` array swaps dark and light (`[1 0]`).
fn inverted(dict: &Dictionary) -> bool {
    let num = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    match dict.get(b"Decode") {
        Ok(Object::Array(a)) => {
            a.len() >= 2 && num(&a[0]).unwrap_or(0.0) > num(&a[1]).unwrap_or(1.0)
        }
        _ => false,
    }
}

/// CCITT fax data wrapped in a one-strip TIFF, still coded: Group 4 when
/// `/K` is negative, else Group 3 (two-dimensional when positive).
fn ccitt_tiff(data: &[u8], w: u32, h: u32, params: Option<&Dictionary>, inverted: bool) -> Vec<u8> {
    let int = |key: &[u8], default: i64| {
        params
            .and_then(|p| p.get(key).ok())
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(default)
    };
    let flag = |key: &[u8]| {
        params
            .and_then(|p| p.get(key).ok())
            .and_then(|o| o.as_bool().ok())
            .unwrap_or(false)
    };
    let k = int(b"K", 0);
    let columns = int(b"Columns", i64::from(w)).clamp(1, i64::from(u32::MAX)) as u32;
    let rows = match int(b"Rows", 0) {
        r if r > 0 => r.min(i64::from(u32::MAX)) as u32,
        _ => h,
    };
    // Decoded, a fax's black runs are 1s; `/BlackIs1 false` (the default)
    // makes them 0s in the PDF's grey, where 0 is black: black either way,
    // which TIFF says with "0 is white". `/BlackIs1 true` and `/Decode [1 0]`
    // each swap that.
    let photometric = u32::from(flag(b"BlackIs1") != inverted);
    let (compression, options_tag, options) = if k < 0 {
        (4, 293, 0)
    } else {
        let two_d = u32::from(k > 0);
        let aligned = if flag(b"EncodedByteAlign") { 4 } else { 0 };
        (3, 292, two_d | aligned)
    };
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, columns),
        (257, 4, rows),
        (258, 3, 1),
        (259, 3, compression),
        (262, 3, photometric),
        (273, 4, 0), // the strip's offset, set below
        (277, 3, 1),
        (278, 4, rows),
        (279, 4, data.len() as u32),
        (options_tag, 4, options),
    ];
    let ifd_len = 2 + entries.len() * 12 + 4;
    let strip_at = (8 + ifd_len) as u32;
    let mut out = Vec::with_capacity(strip_at as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { strip_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        match kind {
            3 => {
                out.extend_from_slice(&(value as u16).to_le_bytes());
                out.extend_from_slice(&[0, 0]);
            }
            _ => out.extend_from_slice(&value.to_le_bytes()),
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// How an image's raw samples are laid out.
#[derive(Clone, Debug, PartialEq)]
struct Samples {
    /// Components per pixel as stored (1 for an indexed image).
    components: usize,
    bits: usize,
    /// An indexed image's palette: `base` components per entry.
    palette: Option<(usize, Vec<u8>)>,
    /// The base space is CMYK (ink, not light).
    cmyk: bool,
    inverted: bool,
}

impl Samples {
    fn of(pdf: &Document, dict: &Dictionary) -> Result<Samples, ImageError> {
        let mask = dict
            .get(b"ImageMask")
            .and_then(Object::as_bool)
            .unwrap_or(false);
        let bits = if mask {
            1
        } else {
            dict.get(b"BitsPerComponent")
                .ok()
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(8) as usize
        };
        if !matches!(bits, 1 | 2 | 4 | 8 | 16) {
            return Err(ImageError::Corrupt(format!("{bits} bits per component")));
        }
        let space = dict.get(b"ColorSpace").ok();
        let (components, palette, cmyk) = if mask {
            (1, None, false)
        } else {
            colour_space(pdf, space, 0)?
        };
        Ok(Samples {
            components,
            bits,
            palette,
            cmyk,
            inverted: inverted(dict),
        })
    }

    /// The samples as a PBM (bilevel grey) or a PGM.
    fn pnm(&self, samples: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ImageError> {
        let (w, h) = (w as usize, h as usize);
        let row = (w * self.components * self.bits).div_ceil(8);
        if samples.len() < row * h {
            return Err(ImageError::Corrupt(format!(
                "{} bytes of samples where {w}×{h} pixels need {}",
                samples.len(),
                row * h
            )));
        }
        if self.bits == 1 && self.components == 1 && self.palette.is_none() {
            // PBM's 1 is black, the PDF's grey 1 white: flip unless /Decode did.
            let mut out = format!("P4\n{w} {h}\n").into_bytes();
            let flip = if self.inverted { 0x00 } else { 0xFF };
            out.extend(samples[..row * h].iter().map(|b| b ^ flip));
            return Ok(out);
        }
        let mut out = format!("P5\n{w} {h}\n255\n").into_bytes();
        out.reserve(w * h);
        for r in 0..h {
            let line = &samples[r * row..(r + 1) * row];
            for x in 0..w {
                out.push(self.grey(line, x));
            }
        }
        Ok(out)
    }

    /// Pixel `x` of a row as grey, 0 black to 255 white.
    fn grey(&self, line: &[u8], x: usize) -> u8 {
        let at = |i: usize| sample(line, i, self.bits);
        let mut values: Vec<u8> = (0..self.components)
            .map(|c| at(x * self.components + c))
            .collect();
        if let Some((base, table)) = &self.palette {
            let i = usize::from(values[0]) * base;
            values = (0..*base)
                .map(|c| table.get(i + c).copied().unwrap_or(255))
                .collect();
        }
        let g = match (values.len(), self.cmyk) {
            (4, _) => {
                let ink = u32::from(values[3])
                    + (u32::from(values[0]) + u32::from(values[1]) + u32::from(values[2])) / 3;
                255u32.saturating_sub(ink.min(255)) as u8
            }
            (3, _) => {
                ((u32::from(values[0]) * 30
                    + u32::from(values[1]) * 59
                    + u32::from(values[2]) * 11)
                    / 100) as u8
            }
            _ => values[0],
        };
        if self.inverted {
            255 - g
        } else {
            g
        }
    }
}

/// Sample `i` of a packed row, scaled to 0–255.
fn sample(line: &[u8], i: usize, bits: usize) -> u8 {
    match bits {
        8 => line[i],
        16 => line[2 * i],
        _ => {
            let bit = i * bits;
            let byte = line[bit / 8];
            let shift = 8 - bits - bit % 8;
            let v = (byte >> shift) & ((1u8 << bits) - 1);
            (u32::from(v) * 255 / ((1u32 << bits) - 1)) as u8
        }
    }
}

/// Components, palette and whether the space is CMYK, for the colour spaces
/// scanners write; `depth` bounds an indexed space's base.
type Space = (usize, Option<(usize, Vec<u8>)>, bool);

fn colour_space(pdf: &Document, space: Option<&Object>, depth: usize) -> Result<Space, ImageError> {
    let space = space.and_then(|o| pdf.dereference(o).ok()).map(|(_, o)| o);
    let unsupported = |what: &[u8]| {
        Err(ImageError::Unsupported(format!(
            "{} colour space",
            String::from_utf8_lossy(what)
        )))
    };
    match space {
        None => Ok((1, None, false)),
        Some(Object::Name(n)) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Ok((1, None, false)),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok((3, None, false)),
            b"DeviceCMYK" | b"CMYK" => Ok((4, None, true)),
            other => unsupported(other),
        },
        Some(Object::Array(a)) => {
            let kind = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
            match kind {
                b"ICCBased" => {
                    let n = a
                        .get(1)
                        .and_then(|o| pdf.dereference(o).ok())
                        .and_then(|(_, o)| o.as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").ok()?.as_i64().ok())
                        .unwrap_or(3);
                    match n {
                        1 | 3 => Ok((n as usize, None, false)),
                        4 => Ok((4, None, true)),
                        _ => Err(ImageError::Corrupt(format!(
                            "an ICC space of {n} components"
                        ))),
                    }
                }
                b"CalGray" | b"CalRGB" => colour_space(pdf, a.first(), depth),
                b"Indexed" | b"I" if depth == 0 => {
                    let (base, _, cmyk) = colour_space(pdf, a.get(1), 1)?;
                    let table = match a
                        .get(3)
                        .and_then(|o| pdf.dereference(o).ok())
                        .map(|(_, o)| o)
                    {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(Object::Stream(s)) => s
                            .decompressed_content_with_limit(1 << 20)
                            .unwrap_or_else(|_| s.content.clone()),
                        _ => {
                            return Err(ImageError::Corrupt(
                                "an indexed space without its palette".into(),
                            ))
                        }
                    };
                    let _ = cmyk;
                    Ok((1, Some((base, table)), false))
                }
                other => unsupported(other),
            }
        }
        Some(_) => Err(ImageError::Corrupt("an unreadable colour space".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    const LIMITS: ImageLimits = ImageLimits {
        max_pixels: 64_000_000,
        max_bytes: 64 << 20,
    };

    fn doc_with(stream: Stream) -> (Document, ObjectId) {
        let mut pdf = Document::with_version("1.5");
        let id = pdf.add_object(stream);
        (pdf, id)
    }

    #[test]
    fn a_jpeg_goes_through_as_stored_and_its_own_header_gives_its_size() {
        // SOI, an APP0 segment, SOF0 of 3×2 pixels.
        let jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0,
            0xFF, 0xD9,
        ];
        let dict = dictionary! { "Subtype" => "Image", "Width" => 3, "Height" => 2, "Filter" => "DCTDecode" };
        let (pdf, id) = doc_with(Stream::new(dict, jpeg.clone()));
        let img = extract(&pdf, id, LIMITS).unwrap();
        assert_eq!((img.kind, img.width, img.height), (ImageKind::Jpeg, 3, 2));
        assert_eq!(img.data, jpeg);
        // A JPEG that lies about its size in the dictionary is taken at its word.
        let mut big = jpeg.clone();
        big[13..17].copy_from_slice(&[0x4E, 0x20, 0x4E, 0x20]); // 20000×20000
        let dict = dictionary! { "Subtype" => "Image", "Width" => 3, "Height" => 2, "Filter" => "DCTDecode" };
        let (pdf, id) = doc_with(Stream::new(dict, big));
        assert!(matches!(
            extract(&pdf, id, LIMITS),
            Err(ImageError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_huge_or_broken_image_is_refused_before_decoding() {
        let dict = dictionary! { "Subtype" => "Image", "Width" => 20_000, "Height" => 20_000, "Filter" => "FlateDecode", "BitsPerComponent" => 8 };
        let (pdf, id) = doc_with(Stream::new(dict, vec![0; 10]));
        let e = extract(&pdf, id, LIMITS).unwrap_err();
        assert!(e.to_string().contains("20000×20000"), "{e}");
        let dict = dictionary! { "Subtype" => "Image", "Width" => 2, "Height" => 2, "Filter" => "DCTDecode" };
        let (pdf, id) = doc_with(Stream::new(dict, b"not a jpeg".to_vec()));
        assert!(matches!(
            extract(&pdf, id, LIMITS),
            Err(ImageError::Corrupt(_))
        ));
        let dict = dictionary! { "Subtype" => "Image", "Width" => 2, "Height" => 2, "Filter" => "JBIG2Decode" };
        let (pdf, id) = doc_with(Stream::new(dict, vec![0; 4]));
        assert_eq!(
            extract(&pdf, id, LIMITS).unwrap_err(),
            ImageError::Unsupported("JBIG2".into())
        );
    }

    #[test]
    fn raw_samples_become_a_grey_pnm() {
        // 2×1 RGB: red and white.
        let dict = dictionary! { "Subtype" => "Image", "Width" => 2, "Height" => 1, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 };
        let (pdf, id) = doc_with(Stream::new(dict, vec![255, 0, 0, 255, 255, 255]));
        let img = extract(&pdf, id, LIMITS).unwrap();
        assert_eq!(img.kind, ImageKind::Pnm);
        assert_eq!(img.data, b"P5\n2 1\n255\n\x4c\xff".to_vec());
        // Bilevel grey: PBM, whose 1 is black (the PDF's 0).
        let dict = dictionary! { "Subtype" => "Image", "Width" => 8, "Height" => 1, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1 };
        let (pdf, id) = doc_with(Stream::new(dict, vec![0b0000_1111]));
        assert_eq!(
            extract(&pdf, id, LIMITS).unwrap().data,
            b"P4\n8 1\n\xf0".to_vec()
        );
        // Too few samples for the size.
        let dict = dictionary! { "Subtype" => "Image", "Width" => 4, "Height" => 4, "BitsPerComponent" => 8 };
        let (pdf, id) = doc_with(Stream::new(dict, vec![0; 3]));
        assert!(matches!(
            extract(&pdf, id, LIMITS),
            Err(ImageError::Corrupt(_))
        ));
    }

    #[test]
    fn fax_data_is_wrapped_in_a_tiff() {
        let dict = dictionary! { "Subtype" => "Image", "Width" => 16, "Height" => 4, "Filter" => "CCITTFaxDecode", "DecodeParms" => dictionary! { "K" => -1, "Columns" => 16 } };
        let (pdf, id) = doc_with(Stream::new(dict, vec![1, 2, 3]));
        let img = extract(&pdf, id, LIMITS).unwrap();
        assert_eq!(img.kind, ImageKind::Tiff);
        assert!(img.data.starts_with(b"II*\0"));
        assert!(img.data.ends_with(&[1, 2, 3]));
        // Group 4 (compression 4) says so in its IFD.
        let tag = |t: u16| {
            let n = u16::from_le_bytes([img.data[8], img.data[9]]) as usize;
            (0..n)
                .map(|i| 10 + 12 * i)
                .find(|&at| u16::from_le_bytes([img.data[at], img.data[at + 1]]) == t)
                .map(|at| u32::from_le_bytes(img.data[at + 8..at + 12].try_into().unwrap()))
        };
        assert_eq!(tag(259), Some(4));
        assert_eq!(tag(256), Some(16));
        assert_eq!(tag(273), Some(img.data.len() as u32 - 3));
    }
}
