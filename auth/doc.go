// Package auth issues and verifies access tokens (EdDSA JWTs signed with
// rotating Ed25519 keys), hashes and checks passwords (argon2id and an OWASP
// ASVS password policy), and decides who may touch what. It knows nothing of
// HTTP or storage: callers pass strings in and get claims and apperr errors
// out.
package auth
