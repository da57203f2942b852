package outdir

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCreateFileParts: a file is its parts one after the other, empty parts and all.
func TestCreateFileParts(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 1<<14) // larger than one page, several writes' worth
	for i, parts := range [][]string{
		{"only"},
		{GeneratedHeader, "kind: Gateway\n"},
		{"", "body"},
		{"head", ""},
		{"", "", ""},
		{GeneratedHeader, big},
		{big, "", big},
	} {
		path := filepath.Join(t.TempDir(), strconv.Itoa(i))
		bs := make([][]byte, len(parts))
		for j, p := range parts {
			bs[j] = []byte(p)
		}
		if _, err := createFile(path, i%2 == 0, bs...); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Join(parts, ""); string(got) != want {
			t.Errorf("parts %d: file holds %d bytes, want %d", i, len(got), len(want))
		}
		if string(bs[0]) != parts[0] {
			t.Errorf("parts %d: createFile changed its argument", i)
		}
	}
}
