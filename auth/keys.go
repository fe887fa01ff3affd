package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// devKeyFile is the file LoadOrCreateDevKeySet keeps its signing key in.
const devKeyFile = "jwt-ed25519.pem"

// KeySet holds one current Ed25519 signing key and every public key that
// tokens may still be verified with, each known by its kid (the RFC 7638 JWK
// thumbprint). Keeping the previous public keys configured after a rotation
// lets tokens signed before it stay valid until they expire. A KeySet is
// immutable and safe for concurrent use.
type KeySet struct {
	signing ed25519.PrivateKey
	kid     string
	verify  map[string]ed25519.PublicKey
	order   []string // kids for JWKS: current first, then previous ones as given
}

// NewKeySet returns a KeySet that signs with signing and verifies with its
// public key and with previous (duplicates are dropped). The keys must have
// the Ed25519 sizes; NewKeySet panics otherwise, as that is a programming
// error (ParseKeySet checks keys read from files).
func NewKeySet(signing ed25519.PrivateKey, previous ...ed25519.PublicKey) *KeySet {
	if len(signing) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("auth: signing key has %d bytes, want %d", len(signing), ed25519.PrivateKeySize))
	}
	k := &KeySet{
		signing: bytes.Clone(signing),
		verify:  make(map[string]ed25519.PublicKey, 1+len(previous)),
	}
	k.kid = k.add(k.signing.Public().(ed25519.PublicKey))
	for _, pub := range previous {
		if len(pub) != ed25519.PublicKeySize {
			panic(fmt.Sprintf("auth: previous key has %d bytes, want %d", len(pub), ed25519.PublicKeySize))
		}
		k.add(pub)
	}
	return k
}

// add registers pub for verification and returns its kid.
func (k *KeySet) add(pub ed25519.PublicKey) string {
	kid := Thumbprint(pub)
	if _, ok := k.verify[kid]; !ok {
		k.verify[kid] = bytes.Clone(pub)
		k.order = append(k.order, kid)
	}
	return kid
}

// ParseKeySet reads the current signing key from a PKCS#8 PEM block
// ("PRIVATE KEY") and previous verification keys from PKIX PEM blocks
// ("PUBLIC KEY"); each previous blob may hold several blocks. Every key must
// be Ed25519.
func ParseKeySet(privatePEM []byte, previousPublicPEMs ...[]byte) (*KeySet, error) {
	signing, err := parsePrivateKeyPEM(privatePEM)
	if err != nil {
		return nil, fmt.Errorf("parse signing key: %w", err)
	}
	var previous []ed25519.PublicKey
	for i, blob := range previousPublicPEMs {
		keys, err := parsePublicKeysPEM(blob)
		if err != nil {
			return nil, fmt.Errorf("parse previous keys #%d: %w", i+1, err)
		}
		previous = append(previous, keys...)
	}
	return NewKeySet(signing, previous...), nil
}

func parsePrivateKeyPEM(data []byte) (ed25519.PrivateKey, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("PEM block is %q, want \"PRIVATE KEY\" (PKCS#8)", block.Type)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("unexpected data after the PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8: %w", err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key is %T, want an Ed25519 key", key)
	}
	return priv, nil
}

func parsePublicKeysPEM(data []byte) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			if len(bytes.TrimSpace(data)) > 0 {
				return nil, fmt.Errorf("block %d: not PEM", len(keys)+1)
			}
			break
		}
		if block.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("block %d is %q, want \"PUBLIC KEY\" (PKIX)", len(keys)+1, block.Type)
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("block %d: parse PKIX: %w", len(keys)+1, err)
		}
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("block %d: key is %T, want an Ed25519 key", len(keys)+1, key)
		}
		keys = append(keys, pub)
		data = rest
	}
	if len(keys) == 0 {
		return nil, errors.New("no PEM block found")
	}
	return keys, nil
}

// MarshalPrivateKeyPEM encodes key as a PKCS#8 "PRIVATE KEY" PEM block, the
// form ParseKeySet reads.
func MarshalPrivateKeyPEM(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal PKCS#8: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalPublicKeyPEM encodes key as a PKIX "PUBLIC KEY" PEM block, the form
// ParseKeySet reads for previous keys.
func MarshalPublicKeyPEM(key ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal PKIX: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// LoadOrCreateDevKeySet is for development only: it loads the signing key
// from dir/jwt-ed25519.pem, or, when that file does not exist, generates one
// and stores it there with mode 0600. The file is written to a temporary name
// and then linked into place, so a reader never sees half a file and, when
// two processes race, both end up with the key that won. dir must exist.
func LoadOrCreateDevKeySet(dir string) (*KeySet, error) {
	path := filepath.Join(dir, devKeyFile)
	ks, err := loadKeySetFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return ks, err
	}

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate dev key: %w", err)
	}
	data, err := MarshalPrivateKeyPEM(priv)
	if err != nil {
		return nil, err
	}
	if err := writeNewFile(path, data); errors.Is(err, fs.ErrExist) {
		return loadKeySetFile(path) // another process won the race
	} else if err != nil {
		return nil, fmt.Errorf("store dev key: %w", err)
	}
	return NewKeySet(priv), nil
}

func loadKeySetFile(path string) (*KeySet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	ks, err := ParseKeySet(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ks, nil
}

// writeNewFile creates path with data and mode 0600 unless it already exists,
// in which case it returns an error matching fs.ErrExist. The content is
// complete before the name appears.
func writeNewFile(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if rmErr := os.Remove(tmp.Name()); err == nil && rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
			err = rmErr
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// A hard link never replaces an existing file, unlike rename, so the
	// loser of a race keeps the winner's key instead of overwriting it.
	return os.Link(tmp.Name(), path)
}

// KID returns the kid of the current signing key.
func (k *KeySet) KID() string { return k.kid }

// publicKey returns the verification key with the given kid.
func (k *KeySet) publicKey(kid string) (ed25519.PublicKey, bool) {
	pub, ok := k.verify[kid]
	return pub, ok
}

// jwk is one OKP public key in a JWK Set (RFC 8037).
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// JWKS returns the verification keys as a JWK Set (RFC 7517) for clients
// and other services: the current key first, then the previous ones in the
// order they were given.
func (k *KeySet) JWKS() ([]byte, error) {
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(k.order))}
	for _, kid := range k.order {
		set.Keys = append(set.Keys, jwk{
			Kty: "OKP",
			Crv: "Ed25519",
			X:   base64.RawURLEncoding.EncodeToString(k.verify[kid]),
			Kid: kid,
			Use: "sig",
			Alg: "EdDSA",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("marshal JWKS: %w", err)
	}
	return b, nil
}

// Thumbprint returns the RFC 7638 JWK thumbprint of an Ed25519 public key:
// base64url (no padding) of the SHA-256 of its canonical JWK
// {"crv":"Ed25519","kty":"OKP","x":"..."}. It is the kid of that key.
func Thumbprint(pub ed25519.PublicKey) string {
	canonical := `{"crv":"Ed25519","kty":"OKP","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
