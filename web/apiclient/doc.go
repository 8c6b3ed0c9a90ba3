// Package apiclient is a Go client of the JSON API, generated from
// web/openapi.json by oapi-codegen v2 with its default configuration (types,
// client, Echo server interface, embedded document). It is here to prove
// that the published document generates a working client: `make generate`
// regenerates it, `make check` fails when it is stale, and the web tests
// drive the real server through it. The program itself does not use it.
package apiclient

//go:generate go tool oapi-codegen -package apiclient -o apiclient.gen.go ../openapi.json
