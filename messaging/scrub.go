package messaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"github.com/jobbanken/jobkunde/apperr"
)

// A photo carries more than the picture: EXIF (the phone's make and model,
// the time and, from most phones, the GPS position where it was taken), XMP,
// IPTC, comments and text chunks. A participant who photographs a payslip at
// home would send the counselor their home's location. scrub keeps only what
// is needed to show the picture as it was taken: the image data, its colour
// information and, when the picture is rotated or flipped, a minimal EXIF
// block holding the orientation and nothing else. The image data itself is
// copied byte for byte, never re-encoded, so nothing is lost and no picture
// is decoded into memory.
//
// The walkers below only ever move forward through the bytes and check every
// length against what is left, so a malformed file is refused with
// attachment.unreadable, never a panic or a loop.

// scrub returns content of the sniffed type typ without its metadata. Other
// types (HEIC, PDF) come back unchanged. A JPEG, PNG or WebP that cannot be
// parsed as one is an Invalid attachment.unreadable error.
func scrub(typ string, content []byte) ([]byte, error) {
	switch typ {
	case "image/jpeg":
		return scrubJPEG(content)
	case "image/png":
		return scrubPNG(content)
	case "image/webp":
		return scrubWebP(content)
	}
	return content, nil
}

func unreadable() error {
	return apperr.New(apperr.Invalid, "attachment.unreadable",
		"The photo cannot be read. It may be damaged or not fully uploaded. Try sending it again.")
}

// JPEG markers (ITU T.81, table B.1).
const (
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mAPP0  = 0xE0
	mAPP1  = 0xE1
	mAPP2  = 0xE2
	mAPP14 = 0xEE
	mAPP15 = 0xEF
	mCOM   = 0xFE
)

// scrubJPEG keeps SOI, the frame and scan segments (SOFn, DHT, DAC, DQT,
// DRI, DNL, DHP, EXP and the entropy-coded data), a leading JFIF APP0
// without its thumbnail, ICC profiles (APP2) and Adobe's APP14, which says
// how to decode the colours. Every other APPn (EXIF, XMP, IPTC, MPF, maker
// data), comments and the JPGn extensions go, and so does anything after EOI
// (more pictures with their own EXIF, maker trailers).
func scrubJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != mSOI {
		return nil, unreadable()
	}
	var jfif []byte // the leading JFIF APP0, rewritten without a thumbnail
	body := make([]byte, 0, len(b))
	orientation := 0
	sawFrame, sawScan := false, false
	pos := 2
	for first := true; ; first = false {
		// A marker: 0xFF, any number of 0xFF fill bytes, then its code.
		if pos >= len(b) || b[pos] != 0xFF {
			return nil, unreadable()
		}
		for pos < len(b) && b[pos] == 0xFF {
			pos++
		}
		if pos >= len(b) {
			return nil, unreadable()
		}
		m := b[pos]
		pos++
		if m == mEOI {
			if !sawScan {
				return nil, unreadable()
			}
			break
		}
		if pos+2 > len(b) {
			return nil, unreadable()
		}
		n := int(binary.BigEndian.Uint16(b[pos:]))
		if n < 2 || pos+n > len(b) {
			return nil, unreadable()
		}
		payload := b[pos+2 : pos+n]
		seg := b[pos-2 : pos+n] // 0xFF, the marker, the length and the payload
		pos += n
		switch {
		case m == mAPP0 && first && len(payload) >= 14 && bytes.HasPrefix(payload, []byte("JFIF\x00")):
			jfif = append([]byte{0xFF, mAPP0, 0, 16}, payload[:12]...)
			jfif = append(jfif, 0, 0) // no thumbnail
		case m == mAPP1 && orientation == 0 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")):
			orientation = tiffOrientation(payload[6:])
		case m == mAPP2 && bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00")),
			m == mAPP14 && bytes.HasPrefix(payload, []byte("Adobe")):
			body = append(body, seg...)
		case m >= mAPP0 && m <= mAPP15, m == mCOM, m >= 0xF0 && m <= 0xFD:
			// metadata, comments, JPGn extensions: dropped
		case m == mSOS:
			if !sawFrame {
				return nil, unreadable()
			}
			end, ok := scanEnd(b, pos)
			if !ok {
				return nil, unreadable()
			}
			body = append(body, seg...)
			body = append(body, b[pos:end]...)
			pos, sawScan = end, true
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC: // SOFn
			sawFrame = true
			body = append(body, seg...)
		case m == 0xC4, m == 0xCC, m >= 0xDB && m <= 0xDF: // DHT, DAC, DQT, DNL, DRI, DHP, EXP
			body = append(body, seg...)
		default: // SOI again, RSTn outside a scan, TEM, JPG, reserved codes
			return nil, unreadable()
		}
	}
	out := make([]byte, 0, len(jfif)+len(body)+64)
	out = append(out, 0xFF, mSOI)
	out = append(out, jfif...)
	if orientation > 1 {
		tiff := orientationTIFF(orientation)
		out = append(out, 0xFF, mAPP1)
		out = binary.BigEndian.AppendUint16(out, uint16(2+6+len(tiff)))
		out = append(out, "Exif\x00\x00"...)
		out = append(out, tiff...)
	}
	out = append(out, body...)
	out = append(out, 0xFF, mEOI)
	if _, err := jpeg.DecodeConfig(bytes.NewReader(out)); err != nil && !errors.As(err, new(jpeg.UnsupportedError)) {
		return nil, unreadable() // a feature the standard decoder lacks (arithmetic coding) is not damage
	}
	return out, nil
}

// scanEnd returns where the entropy-coded data that starts at pos ends: at
// the next marker that is not a stuffed 0x00, a restart marker or a fill
// byte. ok is false when the data runs to the end of the file (a truncated
// upload).
func scanEnd(b []byte, pos int) (end int, ok bool) {
	for {
		i := bytes.IndexByte(b[pos:], 0xFF)
		if i < 0 || pos+i+1 >= len(b) {
			return 0, false
		}
		pos += i
		switch next := b[pos+1]; {
		case next == 0x00, next >= 0xD0 && next <= 0xD7: // stuffed 0xFF, RSTn
			pos += 2
		case next == 0xFF: // fill byte before a marker
			pos++
		default:
			return pos, true
		}
	}
}

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// pngKeep are the chunks that decide how a PNG looks (PNG third edition,
// APNG included). Anything else goes: eXIf, tEXt, zTXt, iTXt and tIME, which
// can carry EXIF, GPS positions and free text, and private chunks, which can
// carry anything.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true, "cHRM": true, "gAMA": true,
	"iCCP": true, "sBIT": true, "sRGB": true, "cICP": true, "mDCV": true, "cLLI": true, "bKGD": true,
	"pHYs": true, "acTL": true, "fcTL": true, "fdAT": true,
}

// scrubPNG keeps the chunks in pngKeep and, when an eXIf chunk says the
// picture is rotated or flipped, a minimal eXIf with only the orientation.
// Every chunk's CRC is checked; the file must start with IHDR and end with
// IEND (anything after IEND goes). An unknown critical chunk (upper-case
// first letter) is refused, as a decoder would refuse it.
func scrubPNG(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, []byte(pngSignature)) {
		return nil, unreadable()
	}
	out := make([]byte, 0, len(b))
	out = append(out, pngSignature...)
	sawEXIF := false
	for pos, first := len(pngSignature), true; ; first = false {
		if pos+12 > len(b) {
			return nil, unreadable()
		}
		n := int64(binary.BigEndian.Uint32(b[pos:]))
		if n > int64(len(b)-pos-12) {
			return nil, unreadable()
		}
		chunk := b[pos : pos+12+int(n)]
		pos += len(chunk)
		typ, data := string(chunk[4:8]), chunk[8:8+n]
		if !isChunkType(typ) || crc32.ChecksumIEEE(chunk[4:8+n]) != binary.BigEndian.Uint32(chunk[8+n:]) ||
			first != (typ == "IHDR") {
			return nil, unreadable()
		}
		switch {
		case typ == "eXIf" && !sawEXIF:
			sawEXIF = true
			if o := tiffOrientation(data); o > 1 {
				out = appendPNGChunk(out, "eXIf", orientationTIFF(o))
			}
		case pngKeep[typ]:
			out = append(out, chunk...)
		case typ[0] >= 'A' && typ[0] <= 'Z': // critical, unknown
			return nil, unreadable()
		}
		if typ == "IEND" {
			break
		}
	}
	if _, err := png.DecodeConfig(bytes.NewReader(out)); err != nil && !errors.As(err, new(png.UnsupportedError)) {
		return nil, unreadable()
	}
	return out, nil
}

func isChunkType(t string) bool {
	for i := range len(t) {
		if c := t[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func appendPNGChunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// webpKeep are the chunks that draw a WebP (RFC 9649): the extended
// header, the picture (lossy, lossless, its alpha), animation and the ICC
// profile. EXIF, XMP and unknown chunks go.
var webpKeep = map[string]bool{"VP8X": true, "VP8 ": true, "VP8L": true, "ALPH": true, "ANIM": true, "ANMF": true, "ICCP": true}

// scrubWebP keeps the chunks in webpKeep and, when the EXIF chunk says the
// picture is rotated or flipped, a minimal EXIF chunk with only the
// orientation; the extended header's EXIF and XMP flags follow what is
// kept. Anything after the RIFF's declared end goes. The file must be a
// whole RIFF whose first chunk is a picture or the extended header and that
// holds a picture.
func scrubWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, unreadable()
	}
	size := int64(binary.LittleEndian.Uint32(b[4:]))
	if size < 4 || size > int64(len(b)-8) {
		return nil, unreadable()
	}
	b = b[:8+size]
	out := make([]byte, 0, len(b))
	out = append(out, "RIFF\x00\x00\x00\x00WEBP"...)
	vp8x := -1       // where the extended header's flags are in out
	var still []byte // the first lossy or lossless picture chunk
	orientation, pictures := 0, 0
	for pos, first := 12, true; pos < len(b); first = false {
		if pos+8 > len(b) {
			return nil, unreadable()
		}
		id, n := string(b[pos:pos+4]), int64(binary.LittleEndian.Uint32(b[pos+4:]))
		if n+n&1 > int64(len(b)-pos-8) {
			return nil, unreadable()
		}
		chunk := b[pos : pos+8+int(n)]
		pos += len(chunk) + int(n&1)
		if first && id != "VP8X" && id != "VP8 " && id != "VP8L" {
			return nil, unreadable()
		}
		switch {
		case id == "EXIF" && orientation == 0:
			orientation = tiffOrientation(bytes.TrimPrefix(chunk[8:], []byte("Exif\x00\x00")))
		case id == "VP8X" && (!first || n != 10):
			return nil, unreadable()
		case webpKeep[id]:
			switch id {
			case "VP8X":
				vp8x = len(out) + 8
			case "VP8 ", "VP8L":
				if still == nil {
					still = chunk
				}
				pictures++
			case "ANMF":
				pictures++
			}
			out = append(out, chunk...)
			if n&1 == 1 {
				out = append(out, 0)
			}
		}
	}
	if pictures == 0 {
		return nil, unreadable()
	}
	if vp8x >= 0 {
		const exifFlag, xmpFlag = 1 << 3, 1 << 2
		out[vp8x] &^= exifFlag | xmpFlag
		if orientation > 1 {
			out[vp8x] |= exifFlag
			tiff := orientationTIFF(orientation)
			out = append(out, "EXIF"...)
			out = binary.LittleEndian.AppendUint32(out, uint32(len(tiff)))
			out = append(out, tiff...) // even length: no padding
		}
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	if _, err := webp.DecodeConfig(bytes.NewReader(out)); err != nil {
		return nil, unreadable()
	}
	if still != nil && vp8x >= 0 { // the header above was the extended one: check the picture's own
		simple := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(still)+len(still)&1))
		simple = append(append(simple, "WEBP"...), still...)
		if len(still)&1 == 1 {
			simple = append(simple, 0)
		}
		if _, err := webp.DecodeConfig(bytes.NewReader(simple)); err != nil {
			return nil, unreadable()
		}
	}
	return out, nil
}

// tiffOrientation reads the Orientation tag (0x0112) of the first image
// directory of an EXIF TIFF structure: 1 (as stored) to 8, or 1 when the
// structure is malformed or has no such tag.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 1
	}
	count := int64(bo.Uint16(t[off:]))
	for i := range count {
		e := off + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		const tagOrientation, typeShort = 0x0112, 3
		if bo.Uint16(t[e:]) == tagOrientation && bo.Uint16(t[e+2:]) == typeShort && bo.Uint32(t[e+4:]) == 1 {
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orientationTIFF is an EXIF TIFF structure whose only content is the
// Orientation tag: a big-endian header, one directory with one entry, no
// next directory.
func orientationTIFF(o int) []byte {
	return []byte{
		'M', 'M', 0, 42, 0, 0, 0, 8, // header; the directory is at offset 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation, SHORT, 1 value
		0, 0, 0, 0, // no next directory
	}
}
