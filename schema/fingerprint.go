package schema

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
)

// ErrNoFingerprint: the inputs include standard input, which can be read only once.
var ErrNoFingerprint = errors.New("standard input has no fingerprint")

// Fingerprint writes to h everything Load would read from the inputs, in its order: each file's
// path, --services cluster and bytes, and each note (a folder left out, a file refused, the size
// budget spent). Equal fingerprints mean Load sees the same input (compile --out-dir's cache
// key). The error is a *UsageError, as Load's, or ErrNoFingerprint.
func (l *Loader) Fingerprint(inputs []Input, h hash.Hash) error {
	for _, in := range inputs {
		if in.Path == StdinPath {
			return ErrNoFingerprint
		}
	}
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return l.readInputs(inputs, func(s loadStep) {
		if s.note != nil {
			field("note")
			field(s.note.Code)
			field(s.note.Pos.String())
			field(s.note.Message)
			return
		}
		field("file")
		field(s.file)
		field(s.servicesCluster)
		sum := sha256.Sum256(s.data)
		h.Write(sum[:])
	})
}
