// Package jobkunde is the root of the jobkunde backend. It holds the API
// contract, embedded so the binary serves exactly the file in the repository.
package jobkunde

import _ "embed"

// OpenAPI is openapi.yaml, the contract the mobile apps code against.
//
//go:embed openapi.yaml
var OpenAPI []byte
