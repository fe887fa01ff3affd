package auth_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jobbanken/jobkunde/auth"
)

// newKey returns a deterministic Ed25519 key for seed byte b.
func newKey(t *testing.T, b byte) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func publicPEM(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	b, err := auth.MarshalPublicKeyPEM(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func privatePEM(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	b, err := auth.MarshalPrivateKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestKIDIsRFC7638Thumbprint uses the key of RFC 8037 Appendix A.1, whose
// thumbprint Appendix A.3 gives.
func TestKIDIsRFC7638Thumbprint(t *testing.T) {
	const (
		d       = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
		x       = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
		wantKID = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
	)
	seed, err := base64.RawURLEncoding.DecodeString(d)
	if err != nil {
		t.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if got := base64.RawURLEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)); got != x {
		t.Fatalf("public key x = %s, want %s", got, x)
	}
	if got := auth.NewKeySet(priv).KID(); got != wantKID {
		t.Errorf("KID() = %s, want %s", got, wantKID)
	}
	pub, _ := base64.RawURLEncoding.DecodeString(x)
	if got := auth.Thumbprint(pub); got != wantKID {
		t.Errorf("Thumbprint(x) = %s, want %s", got, wantKID)
	}
}

func TestParseKeySet(t *testing.T) {
	current, old1, old2, old3 := newKey(t, 1), newKey(t, 2), newKey(t, 3), newKey(t, 4)
	multi := append(append(publicPEM(t, old1), '\n'), publicPEM(t, old2)...)
	tests := []struct {
		name     string
		private  []byte
		previous [][]byte
		wantKIDs []string // in JWKS order; the first is the signing kid
	}{
		{
			name:     "current only",
			private:  privatePEM(t, current),
			wantKIDs: []string{kidOf(current)},
		},
		{
			name:     "several blocks in one blob plus another blob",
			private:  privatePEM(t, current),
			previous: [][]byte{multi, publicPEM(t, old3)},
			wantKIDs: []string{kidOf(current), kidOf(old1), kidOf(old2), kidOf(old3)},
		},
		{
			name:     "current key listed again as previous is not duplicated",
			private:  privatePEM(t, current),
			previous: [][]byte{publicPEM(t, current), publicPEM(t, old1)},
			wantKIDs: []string{kidOf(current), kidOf(old1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks, err := auth.ParseKeySet(tt.private, tt.previous...)
			if err != nil {
				t.Fatalf("ParseKeySet() error = %v", err)
			}
			if got := ks.KID(); got != tt.wantKIDs[0] {
				t.Errorf("KID() = %s, want %s", got, tt.wantKIDs[0])
			}
			if got := jwksKIDs(t, ks); !equalStrings(got, tt.wantKIDs) {
				t.Errorf("JWKS kids = %v, want %v", got, tt.wantKIDs)
			}
		})
	}
}

func TestParseKeySetErrors(t *testing.T) {
	current, old := newKey(t, 1), newKey(t, 2)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPrivPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})
	ecPubDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	ecPubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER})
	tests := []struct {
		name     string
		private  []byte
		previous [][]byte
	}{
		{name: "not PEM", private: []byte("hello")},
		{name: "empty", private: nil},
		{name: "public key given as private", private: publicPEM(t, current)},
		{name: "ECDSA private key", private: ecPrivPEM},
		{name: "ECDSA previous key", private: privatePEM(t, current), previous: [][]byte{ecPubPEM}},
		{name: "garbage after previous blocks", private: privatePEM(t, current), previous: [][]byte{append(publicPEM(t, old), "junk"...)}},
		{name: "empty previous blob", private: privatePEM(t, current), previous: [][]byte{{}}},
		{name: "private key as previous", private: privatePEM(t, current), previous: [][]byte{privatePEM(t, old)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := auth.ParseKeySet(tt.private, tt.previous...); err == nil {
				t.Errorf("ParseKeySet() error = nil, want an error")
			}
		})
	}
}

func kidOf(key ed25519.PrivateKey) string {
	return auth.Thumbprint(key.Public().(ed25519.PublicKey))
}

type jwksDoc struct {
	Keys []map[string]string `json:"keys"`
}

func parseJWKS(t *testing.T, ks *auth.KeySet) jwksDoc {
	t.Helper()
	b, err := ks.JWKS()
	if err != nil {
		t.Fatalf("JWKS() error = %v", err)
	}
	var doc jwksDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("JWKS() is not a JWK Set: %v\n%s", err, b)
	}
	return doc
}

func jwksKIDs(t *testing.T, ks *auth.KeySet) []string {
	t.Helper()
	var kids []string
	for _, k := range parseJWKS(t, ks).Keys {
		kids = append(kids, k["kid"])
	}
	return kids
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestJWKS(t *testing.T) {
	current, old := newKey(t, 1), newKey(t, 2)
	ks := auth.NewKeySet(current, old.Public().(ed25519.PublicKey))
	doc := parseJWKS(t, ks)
	if len(doc.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(doc.Keys))
	}
	for i, key := range []ed25519.PrivateKey{current, old} {
		want := map[string]string{
			"kty": "OKP",
			"crv": "Ed25519",
			"x":   base64.RawURLEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
			"kid": kidOf(key),
			"use": "sig",
			"alg": "EdDSA",
		}
		got := doc.Keys[i]
		if len(got) != len(want) {
			t.Errorf("key %d has members %v, want %v", i, got, want)
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("key %d %q = %q, want %q", i, name, got[name], w)
			}
		}
	}
	again, _ := ks.JWKS()
	first, _ := auth.NewKeySet(current, old.Public().(ed25519.PublicKey)).JWKS()
	if !bytes.Equal(again, first) {
		t.Errorf("JWKS() is not deterministic:\n%s\n%s", again, first)
	}
}

func TestLoadOrCreateDevKeySet(t *testing.T) {
	dir := t.TempDir()
	first, err := auth.LoadOrCreateDevKeySet(dir)
	if err != nil {
		t.Fatalf("first LoadOrCreateDevKeySet() error = %v", err)
	}
	second, err := auth.LoadOrCreateDevKeySet(dir)
	if err != nil {
		t.Fatalf("second LoadOrCreateDevKeySet() error = %v", err)
	}
	if first.KID() != second.KID() {
		t.Errorf("second KID() = %s, want %s (the stored key)", second.KID(), first.KID())
	}
	info, err := os.Stat(filepath.Join(dir, "jwt-ed25519.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %v, want 0600", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only the key file (no temp files left)", len(entries))
	}
}

func TestLoadOrCreateDevKeySetRace(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	kids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ks, err := auth.LoadOrCreateDevKeySet(dir)
			if err != nil {
				t.Errorf("LoadOrCreateDevKeySet() error = %v", err)
				return
			}
			kids[i] = ks.KID()
		})
	}
	wg.Wait()
	stored, err := auth.LoadOrCreateDevKeySet(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, kid := range kids {
		if kid != stored.KID() {
			t.Errorf("caller %d got kid %s, want the stored %s", i, kid, stored.KID())
		}
	}
}

func TestLoadOrCreateDevKeySetErrors(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) string // returns dir
	}{
		{name: "dir does not exist", prepare: func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") }},
		{name: "corrupt key file", prepare: func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "jwt-ed25519.pem"), []byte("not a key"), 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := auth.LoadOrCreateDevKeySet(tt.prepare(t)); err == nil {
				t.Errorf("LoadOrCreateDevKeySet() error = nil, want an error")
			}
		})
	}
}
