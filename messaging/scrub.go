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
// is decoded into memory. (A HEIC's metadata items are blanked in place
// instead: see scrubHEIC.)
//
// The walkers below only ever move forward through the bytes and check every
// length against what is left, so a malformed file is refused with
// attachment.unreadable, never a panic or a loop.

// scrub returns content of the sniffed type typ without its metadata. Other
// types (PDF) come back unchanged. A photo that cannot be parsed as the
// type it starts like is an Invalid attachment.unreadable error.
func scrub(typ string, content []byte) ([]byte, error) {
	switch typ {
	case "image/jpeg":
		return scrubJPEG(content)
	case "image/png":
		return scrubPNG(content)
	case "image/webp":
		return scrubWebP(content)
	case "image/heic":
		return scrubHEIC(content)
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

// scrubHEIC blanks a HEIF photo's metadata items in place: every Exif item
// becomes an empty EXIF structure (no tags) and every XMP item (a MIME item
// of type application/rdf+xml) an empty XMP packet, padded to the item's
// length. Nothing moves, so the item locations that point into the file stay
// right and the picture is untouched. The orientation of a HEIF picture is
// its irot/imir properties, not EXIF (HEIF readers ignore EXIF's), so it
// stays as it was. The file must hold a top-level meta box with item
// information and locations whose every extent lies inside the file (a cut
// off upload does not).
func scrubHEIC(b []byte) ([]byte, error) {
	top, ok := isoBoxes(b, 0, len(b))
	if !ok || len(top) == 0 || top[0].typ != "ftyp" {
		return nil, unreadable()
	}
	var meta []isoBox
	for _, bx := range top {
		if bx.typ == "meta" {
			meta = append(meta, bx)
		}
	}
	if len(meta) != 1 || meta[0].end-meta[0].start < 4 {
		return nil, unreadable()
	}
	children, ok := isoBoxes(b, meta[0].start+4, meta[0].end) // meta is a FullBox
	if !ok {
		return nil, unreadable()
	}
	var iinf, iloc, idat *isoBox
	for i, bx := range children {
		switch bx.typ {
		case "iinf":
			iinf = &children[i]
		case "iloc":
			iloc = &children[i]
		case "idat":
			idat = &children[i]
		}
	}
	if iinf == nil || iloc == nil {
		return nil, unreadable()
	}
	kinds, ok := heifMetadataItems(b, *iinf)
	if !ok {
		return nil, unreadable()
	}
	extents, ok := heifExtents(b, *iloc, idat)
	if !ok {
		return nil, unreadable()
	}
	out := bytes.Clone(b)
	for id, kind := range kinds {
		ranges, found := extents[id]
		if !found {
			continue
		}
		if ranges == nil { // a location this file cannot blank (another item's data)
			return nil, unreadable()
		}
		blank := []byte("\x00\x00\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00") // TIFF offset 0, an empty directory
		fill := byte(0)
		if kind == "xmp" {
			blank, fill = []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`), ' '
		}
		total := 0
		for _, r := range ranges {
			total += r[1] - r[0]
		}
		if total < len(blank) {
			blank = nil
		}
		for _, r := range ranges {
			n := copy(out[r[0]:r[1]], blank)
			blank = blank[n:]
			for i := r[0] + n; i < r[1]; i++ {
				out[i] = fill
			}
		}
	}
	return out, nil
}

// isoBox is one ISO base media file format box: its type and where its
// payload lies in the file.
type isoBox struct {
	typ        string
	start, end int
}

// isoBoxes lists the boxes that fill b[start:end]; ok is false when one
// overruns it.
func isoBoxes(b []byte, start, end int) (boxes []isoBox, ok bool) {
	for pos := start; pos < end; {
		if end-pos < 8 {
			return nil, false
		}
		size, hdr := binary.BigEndian.Uint32(b[pos:]), 8
		n := uint64(size)
		switch size {
		case 0: // to the end
			n = uint64(end - pos)
		case 1: // a 64-bit size follows the type
			if end-pos < 16 {
				return nil, false
			}
			n, hdr = binary.BigEndian.Uint64(b[pos+8:]), 16
		}
		if n < uint64(hdr) || n > uint64(end-pos) {
			return nil, false
		}
		boxes = append(boxes, isoBox{typ: string(b[pos+4 : pos+8]), start: pos + hdr, end: pos + int(n)})
		pos += int(n)
	}
	return boxes, true
}

// cursor reads big-endian fields; reading past the end sets bad and yields
// zeros, so a parser checks once at the end of a structure.
type cursor struct {
	b   []byte
	bad bool
}

func (c *cursor) take(n int) []byte {
	if c.bad || n > len(c.b) {
		c.bad = true
		return make([]byte, n)
	}
	v := c.b[:n]
	c.b = c.b[n:]
	return v
}

func (c *cursor) u8() uint64  { return uint64(c.take(1)[0]) }
func (c *cursor) u16() uint64 { return uint64(binary.BigEndian.Uint16(c.take(2))) }
func (c *cursor) u32() uint64 { return uint64(binary.BigEndian.Uint32(c.take(4))) }

// sized reads a field of 0, 4 or 8 bytes, as iloc declares them.
func (c *cursor) sized(n uint64) uint64 {
	switch n {
	case 0:
		return 0
	case 4:
		return c.u32()
	case 8:
		return binary.BigEndian.Uint64(c.take(8))
	}
	c.bad = true
	return 0
}

// cstr reads a NUL-terminated string; one without a NUL runs to the end.
func (c *cursor) cstr() string {
	if c.bad {
		return ""
	}
	i := bytes.IndexByte(c.b, 0)
	if i < 0 {
		s := string(c.b)
		c.b = nil
		return s
	}
	s := string(c.b[:i])
	c.b = c.b[i+1:]
	return s
}

// heifMetadataItems reads the item information box and returns the IDs of
// the metadata items: "exif" or "xmp".
func heifMetadataItems(b []byte, iinf isoBox) (map[uint64]string, bool) {
	c := cursor{b: b[iinf.start:iinf.end]}
	version := c.u8()
	c.take(3)
	countSize := 2 // entry_count; the infe boxes are counted by isoBoxes
	if version > 0 {
		countSize = 4
	}
	c.take(countSize)
	if c.bad {
		return nil, false
	}
	infes, ok := isoBoxes(b, iinf.start+4+countSize, iinf.end)
	if !ok {
		return nil, false
	}
	kinds := map[uint64]string{}
	for _, infe := range infes {
		if infe.typ != "infe" {
			continue
		}
		c := cursor{b: b[infe.start:infe.end]}
		v := c.u8()
		c.take(3)
		var id uint64
		var itemType, contentType string
		switch {
		case v < 2: // item_ID, protection index, name, content type
			id = c.u16()
			c.u16()
			c.cstr()
			contentType = c.cstr()
		default:
			if v == 2 {
				id = c.u16()
			} else {
				id = c.u32()
			}
			c.u16()
			itemType = string(c.take(4))
			c.cstr()
			if itemType == "mime" {
				contentType = c.cstr()
			}
		}
		if c.bad {
			return nil, false
		}
		switch {
		case itemType == "Exif":
			kinds[id] = "exif"
		case contentType == "application/rdf+xml":
			kinds[id] = "xmp"
		}
	}
	return kinds, true
}

// heifExtents reads the item location box: for each item, the ranges of
// the file its data is in. Every range must lie inside the file (or the
// idat box, for data stored there). An item whose data is another item's
// (construction method 2) maps to nil; one in another file is left out.
// Extents may take no bytes at all (offset and length sizes 0), so their
// number is capped: a phone's tiled photo has a few hundred.
func heifExtents(b []byte, iloc isoBox, idat *isoBox) (map[uint64][][2]int, bool) {
	c := cursor{b: b[iloc.start:iloc.end]}
	version := c.u8()
	c.take(3)
	sizes, more := c.u8(), c.u8()
	offSize, lenSize, baseSize, idxSize := sizes>>4, sizes&15, more>>4, more&15
	if version < 1 {
		idxSize = 0
	}
	count := c.u16()
	if version >= 2 {
		count = c.u32()
	}
	const maxExtents = 1 << 16
	out, extents := map[uint64][][2]int{}, 0
	for i := uint64(0); i < count && !c.bad; i++ {
		id := c.u16()
		if version >= 2 {
			id = c.u32()
		}
		method := uint64(0)
		if version >= 1 {
			method = c.u16() & 15
		}
		dataRef := c.u16()
		base := c.sized(baseSize)
		n := c.u16()
		if extents += int(n); extents > maxExtents {
			return nil, false
		}
		var ranges [][2]int
		for j := uint64(0); j < n && !c.bad; j++ {
			c.sized(idxSize)
			off, length := c.sized(offSize), c.sized(lenSize)
			lo, hi := uint64(0), uint64(len(b)) // construction method 0: the file
			if method == 1 {
				if idat == nil {
					return nil, false
				}
				lo, hi = uint64(idat.start), uint64(idat.end)
			}
			start := lo + base + off
			end := start + length
			if length == 0 {
				end = hi
			}
			if base > hi || off > hi || length > hi || start > hi || end > hi || end < start {
				if method < 2 && dataRef == 0 {
					return nil, false
				}
				continue
			}
			ranges = append(ranges, [2]int{int(start), int(end)})
		}
		switch {
		case dataRef != 0:
		case method >= 2:
			out[id] = nil
		default:
			out[id] = ranges
		}
	}
	if c.bad {
		return nil, false
	}
	return out, true
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
