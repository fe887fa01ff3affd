package messaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// FuzzScrub feeds scrub damaged photos: it must never panic or loop, and
// what it accepts must come back the same when scrubbed again (nothing left
// to remove, nothing it cannot read).
func FuzzScrub(f *testing.F) {
	img := image.NewGray(image.Rect(0, 0, 9, 5))
	var j, p bytes.Buffer
	if err := jpeg.Encode(&j, img, nil); err != nil {
		f.Fatal(err)
	}
	if err := png.Encode(&p, img); err != nil {
		f.Fatal(err)
	}
	exif := append([]byte("\xff\xe1\x00\x24Exif\x00\x00"), orientationTIFF(6)...)
	f.Add(append(append([]byte("\xff\xd8"), exif...), j.Bytes()[2:]...))
	f.Add(append(append(bytes.Clone(p.Bytes()[:33]), "\x00\x00\x00\x1aeXIf"...), p.Bytes()[33:]...))
	f.Add([]byte("RIFF\x40\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"VP8L\x06\x00\x00\x00\x2f\x00\x00\x00\x00\x00EXIF\x1a\x00\x00\x00" + string(orientationTIFF(6))))
	heic, err := os.ReadFile("testdata/phone.heic")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(heic)
	f.Add(j.Bytes())
	f.Add(p.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, typ := range []string{"image/jpeg", "image/png", "image/webp", "image/heic"} {
			out, err := scrub(typ, b)
			if err != nil {
				continue
			}
			again, err := scrub(typ, out)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("%s: scrubbing the scrubbed file again: %v, same bytes %v", typ, err, bytes.Equal(again, out))
			}
		}
	})
}
