package messaging_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/webp"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// byteOrder is binary.BigEndian or binary.LittleEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifTIFF is the TIFF structure a phone writes into EXIF: the first
// directory names the phone's make, the orientation (when o > 0) and points
// to a GPS directory holding the position of Copenhagen's city hall.
func exifTIFF(bo byteOrder, o int) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // 4 bytes: the value itself or an offset
	}
	u32 := func(v uint32) []byte { return bo.AppendUint32(nil, v) }
	short := func(v uint16) []byte { return append(bo.AppendUint16(nil, v), 0, 0) }
	ifd := func(es []entry) []byte {
		b := bo.AppendUint16(nil, uint16(len(es)))
		for _, e := range es {
			b = bo.AppendUint16(b, e.tag)
			b = bo.AppendUint16(b, e.typ)
			b = bo.AppendUint32(b, e.count)
			b = append(b, e.value...)
		}
		return bo.AppendUint32(b, 0) // no next directory
	}
	const ascii, shortType, long, rational = 2, 3, 4, 5
	n0 := 2
	if o > 0 {
		n0 = 3
	}
	makeOff := uint32(8 + 2 + 12*n0 + 4)
	gpsOff := makeOff + 10
	latOff := gpsOff + 2 + 12*4 + 4
	lonOff := latOff + 24
	ifd0 := []entry{{0x010F, ascii, 10, u32(makeOff)}}
	if o > 0 {
		ifd0 = append(ifd0, entry{0x0112, shortType, 1, short(uint16(o))})
	}
	ifd0 = append(ifd0, entry{0x8825, long, 1, u32(gpsOff)})

	b := []byte("MM")
	if bo == binary.LittleEndian {
		b = []byte("II")
	}
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, 8)
	b = append(b, ifd(ifd0)...)
	b = append(b, "Fairphone\x00"...)
	b = append(b, ifd([]entry{
		{0x0001, ascii, 2, []byte("N\x00\x00\x00")},
		{0x0002, rational, 3, u32(latOff)},
		{0x0003, ascii, 2, []byte("E\x00\x00\x00")},
		{0x0004, rational, 3, u32(lonOff)},
	})...)
	b = append(b, gpsRationals(bo, 55, 40, 3012)...)
	return append(b, gpsRationals(bo, 12, 34, 5678)...)
}

// gpsRationals are degrees, minutes and seconds (in hundredths) as EXIF
// writes them: the bytes a stored photo must no longer hold.
func gpsRationals(bo byteOrder, deg, min, centisec uint32) []byte {
	var b []byte
	for _, r := range [][2]uint32{{deg, 1}, {min, 1}, {centisec, 100}} {
		b = bo.AppendUint32(b, r[0])
		b = bo.AppendUint32(b, r[1])
	}
	return b
}

// picture is a w×h gradient, so a lossless copy can be told from a re-encoding.
func picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x * 4), G: uint8(y * 8), B: 128, A: 255})
		}
	}
	return img
}

func jpegSegment(marker byte, payload string) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// photoJPEG encodes a w×h JPEG and puts segs right after its SOI, as a
// phone's camera does with its APP0/APP1/… segments.
func photoJPEG(t *testing.T, w, h int, segs ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	out := slices.Clone(enc[:2])
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, enc[2:]...)
}

type jpegSeg struct {
	marker  byte
	payload []byte
}

// jpegHeaders returns the segments of a JPEG up to its first scan.
func jpegHeaders(t *testing.T, b []byte) []jpegSeg {
	t.Helper()
	var segs []jpegSeg
	for pos := 2; pos+4 <= len(b) && b[pos] == 0xFF; {
		m, n := b[pos+1], int(binary.BigEndian.Uint16(b[pos+2:]))
		if pos+2+n > len(b) {
			t.Fatalf("segment %#x overruns the file", m)
		}
		segs = append(segs, jpegSeg{m, b[pos+4 : pos+2+n]})
		if m == 0xDA {
			break
		}
		pos += 2 + n
	}
	return segs
}

// tiffEntries lists the tags of a TIFF structure's first directory and
// says whether another directory follows.
func tiffEntries(t *testing.T, b []byte) (tags map[uint16]uint16, next uint32) {
	t.Helper()
	var bo binary.ByteOrder = binary.BigEndian
	if string(b[:2]) == "II" {
		bo = binary.LittleEndian
	}
	off := bo.Uint32(b[4:])
	n := int(bo.Uint16(b[off:]))
	tags = map[uint16]uint16{}
	for i := range n {
		e := b[int(off)+2+12*i:]
		tags[bo.Uint16(e)] = bo.Uint16(e[8:])
	}
	return tags, bo.Uint32(b[int(off)+2+12*n:])
}

// uploadAndFetch uploads content as participant 1 and reads back what was
// stored; the reported size and hash must be the stored bytes'.
func uploadAndFetch(t *testing.T, f *fixture, content []byte) (models.Attachment, []byte) {
	t.Helper()
	ctx := context.Background()
	a, err := f.svc.Upload(ctx, f.p1, "participant-1", content)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	_, rc, err := f.svc.Open(ctx, f.p1, "participant-1", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	stored, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(stored)
	if a.Size != int64(len(stored)) || a.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("reported size %d, hash %s; stored %d bytes, hash %x", a.Size, a.SHA256, len(stored), sum)
	}
	return a, stored
}

func TestJPEGUploadsLoseTheirMetadata(t *testing.T) {
	jfif := jpegSegment(0xE0, "JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x00\x00")
	icc := jpegSegment(0xE2, "ICC_PROFILE\x00\x01\x01fake-profile")
	xmp := jpegSegment(0xE1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>55,40.502N</exif:GPSLatitude></x:xmpmeta>")
	iptc := jpegSegment(0xED, "Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0e\x1c\x02\x5a\x00\x0aKoebenhavn")
	comment := jpegSegment(0xFE, "Taget i Nørrebrogade 12")
	tests := []struct {
		name            string
		bo              byteOrder
		orientation     int // in the uploaded EXIF; 0: no tag
		wantOrientation int // in the stored EXIF; 0: no EXIF at all
	}{
		{name: "no orientation tag", bo: binary.BigEndian, orientation: 0, wantOrientation: 0},
		{name: "upright", bo: binary.LittleEndian, orientation: 1, wantOrientation: 0},
		{name: "rotate 90° clockwise", bo: binary.BigEndian, orientation: 6, wantOrientation: 6},
		{name: "rotate 90° counter-clockwise, little-endian", bo: binary.LittleEndian, orientation: 8, wantOrientation: 8},
		{name: "mirrored", bo: binary.BigEndian, orientation: 2, wantOrientation: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			exif := jpegSegment(0xE1, "Exif\x00\x00"+string(exifTIFF(tt.bo, tt.orientation)))
			original := photoJPEG(t, 64, 32, jfif, exif, xmp, iptc, icc, comment)
			// A second picture after EOI, as phones append (MPF), with its own EXIF.
			original = append(original, photoJPEG(t, 8, 8, exif)...)

			a, stored := uploadAndFetch(t, f, original)
			if a.ContentType != "image/jpeg" {
				t.Fatalf("content type %s", a.ContentType)
			}
			for _, leak := range [][]byte{[]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x03"), gpsRationals(tt.bo, 55, 40, 3012),
				gpsRationals(tt.bo, 12, 34, 5678), []byte("Fairphone"), []byte("GPSLatitude"), []byte("Photoshop"),
				[]byte("Koebenhavn"), []byte("Nørrebrogade")} {
				if bytes.Contains(stored, leak) {
					t.Errorf("the stored photo still holds %q", leak)
				}
			}
			var app1 [][]byte
			var kept []byte
			for _, s := range jpegHeaders(t, stored) {
				switch {
				case s.marker == 0xE1:
					app1 = append(app1, s.payload)
				case s.marker >= 0xE0 && s.marker <= 0xEF, s.marker == 0xFE:
					kept = append(kept, s.marker)
				}
			}
			if !bytes.Equal(kept, []byte{0xE0, 0xE2}) {
				t.Errorf("APPn/COM segments kept besides APP1: % x, want JFIF (e0) and ICC (e2)", kept)
			}
			switch {
			case tt.wantOrientation == 0 && len(app1) > 0:
				t.Errorf("an APP1 segment is left: %q", app1)
			case tt.wantOrientation > 0 && len(app1) != 1:
				t.Errorf("%d APP1 segments, want one with the orientation only", len(app1))
			case tt.wantOrientation > 0:
				if !bytes.HasPrefix(app1[0], []byte("Exif\x00\x00")) {
					t.Fatalf("APP1 is not EXIF: %q", app1[0])
				}
				tags, next := tiffEntries(t, app1[0][6:])
				if len(tags) != 1 || tags[0x0112] != uint16(tt.wantOrientation) || next != 0 {
					t.Errorf("stored EXIF: tags %v, next directory %d; want only orientation %d", tags, next, tt.wantOrientation)
				}
			}

			// The picture itself is copied, not re-encoded: same pixels.
			got, err := jpeg.Decode(bytes.NewReader(stored))
			if err != nil {
				t.Fatalf("the stored photo does not decode: %v", err)
			}
			want, _ := jpeg.Decode(bytes.NewReader(original))
			g, w := got.(*image.YCbCr), want.(*image.YCbCr)
			if g.Rect != w.Rect || !bytes.Equal(g.Y, w.Y) || !bytes.Equal(g.Cb, w.Cb) || !bytes.Equal(g.Cr, w.Cr) {
				t.Errorf("the stored picture differs: %v, want %v with the same pixels", g.Rect, w.Rect)
			}
		})
	}
}

func pngChunk(typ, data string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// photoPNG encodes a PNG and puts chunks right after its IHDR.
func photoPNG(t *testing.T, chunks ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture(16, 8)); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	const ihdrEnd = 8 + 12 + 13
	out := slices.Clone(enc[:ihdrEnd])
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, enc[ihdrEnd:]...)
}

// pngChunks lists a PNG's chunks by type and data, up to IEND, and what
// follows IEND.
func pngChunks(t *testing.T, b []byte) (types []string, data map[string][]byte, trailer []byte) {
	t.Helper()
	data = map[string][]byte{}
	for pos := 8; pos+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[pos:]))
		if pos+12+n > len(b) {
			t.Fatalf("chunk at %d overruns the file", pos)
		}
		typ := string(b[pos+4 : pos+8])
		types = append(types, typ)
		data[typ] = b[pos+8 : pos+8+n]
		pos += 12 + n
		if typ == "IEND" {
			return types, data, b[pos:]
		}
	}
	t.Fatal("no IEND")
	return nil, nil, nil
}

func TestPNGUploadsLoseTheirMetadata(t *testing.T) {
	var ztxt bytes.Buffer
	zw := zlib.NewWriter(&ztxt)
	_, _ = zw.Write([]byte("Nørrebrogade 12, 2200 København N"))
	_ = zw.Close()
	tests := []struct {
		name            string
		orientation     int
		wantOrientation int // 0: no eXIf stored
	}{
		{name: "upright", orientation: 1, wantOrientation: 0},
		{name: "rotate 90° counter-clockwise", orientation: 8, wantOrientation: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			original := photoPNG(t,
				pngChunk("eXIf", string(exifTIFF(binary.BigEndian, tt.orientation))),
				pngChunk("tEXt", "Comment\x00Fairphone GPS 55.6761 12.5683"),
				pngChunk("zTXt", "Location\x00\x00"+ztxt.String()),
				pngChunk("iTXt", "XML:com.adobe.xmp\x00\x00\x00\x00\x00<exif:GPSLatitude>55,40.502N</exif:GPSLatitude>"),
				pngChunk("tIME", "\x07\xea\x0b\x10\x09\x00\x00"),
				pngChunk("prVt", "private data"),
			)
			original = append(original, "trailing GPSLatitude"...)

			_, stored := uploadAndFetch(t, f, original)
			types, data, trailer := pngChunks(t, stored)
			if len(trailer) > 0 {
				t.Errorf("%d bytes are left after IEND", len(trailer))
			}
			wantTypes := []string{"IHDR", "IDAT", "IEND"}
			if tt.wantOrientation > 0 {
				wantTypes = []string{"IHDR", "eXIf", "IDAT", "IEND"}
			}
			if !slices.Equal(types, wantTypes) {
				t.Errorf("stored chunks %v, want %v", types, wantTypes)
			}
			if tt.wantOrientation > 0 {
				tags, next := tiffEntries(t, data["eXIf"])
				if len(tags) != 1 || tags[0x0112] != uint16(tt.wantOrientation) || next != 0 {
					t.Errorf("stored eXIf: tags %v, next directory %d; want only orientation %d", tags, next, tt.wantOrientation)
				}
			}
			for _, leak := range [][]byte{gpsRationals(binary.BigEndian, 55, 40, 3012), []byte("Fairphone"), []byte("GPSLatitude"), ztxt.Bytes()} {
				if bytes.Contains(stored, leak) {
					t.Errorf("the stored picture still holds %q", leak)
				}
			}
			got, err := png.Decode(bytes.NewReader(stored))
			if err != nil {
				t.Fatalf("the stored picture does not decode: %v", err)
			}
			if want := picture(16, 8); !samePixels(got, want) {
				t.Errorf("the stored picture differs from the one uploaded")
			}
		})
	}
}

// webpPicture is the VP8L chunk (with its padding byte) of a 16×8 gradient
// that cwebp -lossless encoded.
const webpPicture = "VP8L\x1f\x00\x00\x00\x2f\x0f\xc0\x01\x00\x99\x8c\xe8\x7f\x6c\x22\x0a\xdf\xff\x80\x90" +
	"\x80\x30\xc5\xff\xa3\x92\x3e\x10\x03\x18\x13\x80\x54\x6d\x07\x00"

func webpChunk(id, data string) string {
	c := id + string(binary.LittleEndian.AppendUint32(nil, uint32(len(data)))) + data
	if len(data)%2 == 1 {
		c += "\x00"
	}
	return c
}

func webpFile(chunks ...string) []byte {
	body := "WEBP" + strings.Join(chunks, "")
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

// webpChunks lists a WebP's chunks by ID and data, and what follows the RIFF.
func webpChunks(t *testing.T, b []byte) (ids []string, data map[string][]byte, trailer []byte) {
	t.Helper()
	end := 8 + int(binary.LittleEndian.Uint32(b[4:]))
	data = map[string][]byte{}
	for pos := 12; pos < end; {
		id, n := string(b[pos:pos+4]), int(binary.LittleEndian.Uint32(b[pos+4:]))
		if pos+8+n+n%2 > end {
			t.Fatalf("chunk %q overruns the RIFF", id)
		}
		ids = append(ids, id)
		data[id] = b[pos+8 : pos+8+n]
		pos += 8 + n + n%2
	}
	return ids, data, b[end:]
}

func TestWebPUploadsLoseTheirMetadata(t *testing.T) {
	// The extended header: EXIF and XMP flags set, a 16×8 canvas.
	vp8x := webpChunk("VP8X", "\x0c\x00\x00\x00\x0f\x00\x00\x07\x00\x00")
	xmp := webpChunk("XMP ", "<x:xmpmeta><exif:GPSLatitude>55,40.502N</exif:GPSLatitude></x:xmpmeta>")
	tests := []struct {
		name            string
		orientation     int
		wantOrientation int // 0: no EXIF stored
	}{
		{name: "upright", orientation: 1, wantOrientation: 0},
		{name: "rotate 90° clockwise", orientation: 6, wantOrientation: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			exif := webpChunk("EXIF", string(exifTIFF(binary.LittleEndian, tt.orientation)))
			original := webpFile(vp8x, webpPicture, exif, xmp, webpChunk("prVt", "private data"))
			original = append(original, "trailing GPSLatitude"...)

			a, stored := uploadAndFetch(t, f, original)
			if a.ContentType != "image/webp" {
				t.Fatalf("content type %s", a.ContentType)
			}
			ids, data, trailer := webpChunks(t, stored)
			wantIDs, wantFlags := []string{"VP8X", "VP8L"}, byte(0)
			if tt.wantOrientation > 0 {
				wantIDs, wantFlags = []string{"VP8X", "VP8L", "EXIF"}, 0x08
			}
			if !slices.Equal(ids, wantIDs) || len(trailer) > 0 {
				t.Errorf("stored chunks %q and %d bytes after the RIFF, want %q and none", ids, len(trailer), wantIDs)
			}
			if flags := data["VP8X"][0]; flags != wantFlags {
				t.Errorf("extended header flags %#x, want %#x", flags, wantFlags)
			}
			if tt.wantOrientation > 0 {
				tags, next := tiffEntries(t, data["EXIF"])
				if len(tags) != 1 || tags[0x0112] != uint16(tt.wantOrientation) || next != 0 {
					t.Errorf("stored EXIF: tags %v, next directory %d; want only orientation %d", tags, next, tt.wantOrientation)
				}
			}
			for _, leak := range [][]byte{gpsRationals(binary.LittleEndian, 55, 40, 3012), []byte("Fairphone"), []byte("GPSLatitude"), []byte("private")} {
				if bytes.Contains(stored, leak) {
					t.Errorf("the stored picture still holds %q", leak)
				}
			}
			got, err := webp.Decode(bytes.NewReader(stored))
			if err != nil {
				t.Fatalf("the stored picture does not decode: %v", err)
			}
			want, err := webp.Decode(bytes.NewReader(webpFile(webpPicture)))
			if err != nil {
				t.Fatal(err)
			}
			if !samePixels(got, want) {
				t.Errorf("the stored picture differs from the one uploaded")
			}
		})
	}
}

func isoBox(typ string, payload ...string) string {
	body := strings.Join(payload, "")
	return string(binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))) + typ + body
}

func be16(v int) string { return string(binary.BigEndian.AppendUint16(nil, uint16(v))) }
func be32(v int) string { return string(binary.BigEndian.AppendUint32(nil, uint32(v))) }

// photoHEIC lays out a HEIF file as phones do: a picture item (1) and an
// Exif item (2) in mdat, an XMP item (3) in the meta box's idat, located by
// an iloc of version 1. picture stands in for the HEVC data.
func photoHEIC(picture, exif, xmp string) []byte {
	infe := func(id int, typ, rest string) string {
		return isoBox("infe", "\x02\x00\x00\x00", be16(id), be16(0), typ, rest)
	}
	meta := func(pictureAt, exifAt int) string {
		return isoBox("meta", "\x00\x00\x00\x00",
			isoBox("hdlr", "\x00\x00\x00\x00", be32(0), "pict", be32(0), be32(0), be32(0), "\x00"),
			isoBox("pitm", "\x00\x00\x00\x00", be16(1)),
			isoBox("iinf", "\x00\x00\x00\x00", be16(3),
				infe(1, "hvc1", "\x00"), infe(2, "Exif", "\x00"), infe(3, "mime", "\x00application/rdf+xml\x00")),
			isoBox("iloc", "\x01\x00\x00\x00", "\x44\x00", be16(3), // offsets and lengths of 4 bytes, no base
				be16(1), be16(0), be16(0), be16(1), be32(pictureAt), be32(len(picture)),
				be16(2), be16(0), be16(0), be16(1), be32(exifAt), be32(len(exif)),
				be16(3), be16(1), be16(0), be16(1), be32(0), be32(len(xmp))), // in idat
			isoBox("idat", xmp))
	}
	ftyp := isoBox("ftyp", "heic", be32(0), "mif1heic")
	dataAt := len(ftyp) + len(meta(0, 0)) + 8
	return []byte(ftyp + meta(dataAt, dataAt+len(picture)) + isoBox("mdat", picture, exif))
}

func TestHEICUploadsLoseTheirMetadata(t *testing.T) {
	f := newFixture(t)
	picture := "HEVC-PICTURE-DATA"
	exif := "\x00\x00\x00\x06Exif\x00\x00" + string(exifTIFF(binary.BigEndian, 6))
	xmp := "<x:xmpmeta><exif:GPSLatitude>55,40.502N</exif:GPSLatitude></x:xmpmeta>"
	original := photoHEIC(picture, exif, xmp)

	a, stored := uploadAndFetch(t, f, original)
	if a.ContentType != "image/heic" {
		t.Fatalf("content type %s", a.ContentType)
	}
	// Blanked in place: the same length, the picture where it was.
	if len(stored) != len(original) {
		t.Fatalf("stored %d bytes, want %d", len(stored), len(original))
	}
	at := bytes.Index(original, []byte(picture))
	if !bytes.Equal(stored[at:at+len(picture)], []byte(picture)) {
		t.Errorf("the picture data changed")
	}
	exifAt := at + len(picture)
	if want := "\x00\x00\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"; string(stored[exifAt:exifAt+18]) != want {
		t.Errorf("the Exif item holds %q, want an empty EXIF structure", stored[exifAt:exifAt+18])
	}
	if !bytes.Contains(stored, []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`)) {
		t.Errorf("the XMP item is not an empty packet")
	}
	for _, leak := range [][]byte{gpsRationals(binary.BigEndian, 55, 40, 3012), []byte("Fairphone"), []byte("GPSLatitude")} {
		if bytes.Contains(stored, leak) {
			t.Errorf("the stored photo still holds %q", leak)
		}
	}

	// A photo libheif's heif-enc wrote (iloc with idat, a grid of tiles) and
	// exiftool filled with the make, a GPS position and an XMP creator.
	real, err := os.ReadFile("testdata/phone.heic")
	if err != nil {
		t.Fatal(err)
	}
	_, stored = uploadAndFetch(t, f, real)
	for _, leak := range []string{"Fairphone", "Mette", "\x00\x00\x00\x37\x00\x00\x00\x01\x00\x00\x00\x28\x00\x00\x00\x01"} {
		if !bytes.Contains(real, []byte(leak)) || bytes.Contains(stored, []byte(leak)) {
			t.Errorf("%q: in the upload %v, in the stored photo %v; want only in the upload", leak,
				bytes.Contains(real, []byte(leak)), bytes.Contains(stored, []byte(leak)))
		}
	}
	// heif-info: "Exif: 1360 bytes, XMP: 2840 bytes"; the boxes before mdat
	// (ftyp, meta) and everything but those items stay as they were.
	changed := 0
	for i := range min(len(stored), len(real)) {
		if stored[i] != real[i] {
			changed++
		}
	}
	mdat := bytes.Index(real, []byte("mdat"))
	if len(stored) != len(real) || !bytes.Equal(stored[:mdat], real[:mdat]) || changed > 1360+2840 {
		t.Errorf("more than the metadata items changed: %d bytes, length %d, want %d", changed, len(stored), len(real))
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if color.NRGBAModel.Convert(a.At(x, y)) != color.NRGBAModel.Convert(b.At(x, y)) {
				return false
			}
		}
	}
	return true
}

func TestUnreadablePhotosAreRefused(t *testing.T) {
	f := newFixture(t)
	exif := jpegSegment(0xE1, "Exif\x00\x00"+string(exifTIFF(binary.BigEndian, 6)))
	photo := photoJPEG(t, 64, 32, exif)
	picture := photoPNG(t)
	badCRC := slices.Clone(picture)
	badCRC[len(badCRC)-13] ^= 0xFF // the last byte of IDAT's data
	heic := photoHEIC("HEVC-PICTURE-DATA", "\x00\x00\x00\x00"+string(exifTIFF(binary.BigEndian, 6)), "<x:xmpmeta/>")
	tests := []struct {
		name    string
		content []byte
	}{
		{name: "JPEG cut off in its scan", content: photo[:len(photo)/2]},
		{name: "JPEG cut off in its EXIF", content: photo[:40]},
		{name: "JPEG without EOI", content: photo[:len(photo)-2]},
		{name: "JPEG whose segment overruns the file", content: []byte("\xff\xd8\xff\xe1\xff\xf0Exif\x00\x00MM")},
		{name: "JPEG with a scan before its frame", content: []byte("\xff\xd8\xff\xda\x00\x02\x00\x00\xff\xd9")},
		{name: "PNG without IEND", content: picture[:len(picture)-12]},
		{name: "PNG cut off in a chunk", content: picture[:len(picture)/2]},
		{name: "PNG with a damaged chunk", content: badCRC},
		{name: "WebP cut off", content: webpFile(webpPicture)[:30]},
		{name: "HEIC cut off in its pictures", content: heic[:len(heic)-10]},
		{name: "HEIC cut off in its meta box", content: heic[:100]},
		{name: "HEIC without a meta box", content: []byte(isoBox("ftyp", "heic", be32(0), "mif1heic") + isoBox("mdat", "HEVC"))},
		{name: "WebP without a picture", content: webpFile(webpChunk("VP8X", "\x00\x00\x00\x00\x0f\x00\x00\x07\x00\x00"))},
		{name: "WebP with a damaged picture header", content: webpFile(strings.Replace(webpPicture, "\x2f", "\x00", 1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Upload(context.Background(), f.p1, "participant-1", tt.content)
			wantKind(t, err, apperr.Invalid, "attachment.unreadable")
		})
	}
}
