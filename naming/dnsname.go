// Package naming owns every name and host meshroute generates (DESIGN.md §3): the objects it
// emits, their port and subset names, the hosts it invents, the route names and the Envoy cluster
// names; and it decodes the ones the evaluators read back. It depends on nothing of meshroute, so
// the compiler, the emitters and the evaluators (which must not import the compiler) share it.
package naming

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
)

// maxNameLen is the DNS-1123 label limit every generated name, port name, subset name and label
// value must fit in.
const maxNameLen = 63

// DNSName turns s into a lower-case DNS-1123 label (DESIGN.md §3): every character outside
// [a-z0-9-] becomes '-', and a name longer than 63 characters keeps its first 31 characters, then
// '-' and the hex MD5 of the whole sanitised name, cut to 63 — so long names stay unique and
// stable. Emitters use it for label values too.
func DNSName(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			b[i] = '-'
		}
	}
	name := string(b)
	if len(name) <= maxNameLen {
		return name
	}
	sum := md5.Sum(b)
	return (name[:31] + "-" + hex.EncodeToString(sum[:]))[:maxNameLen]
}
