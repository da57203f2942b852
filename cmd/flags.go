package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/schema"
)

const (
	defaultMaxFileSize = byteSize(schema.DefaultMaxFileSize)
	defaultMaxInput    = byteSize(schema.DefaultMaxTotalSize)
)

// byteSize is a --max-file-size value: bytes, or a number with a K/Ki, M/Mi or G/Gi suffix as
// Kubernetes quantities spell them.
type byteSize int64

var sizeSuffixes = []struct {
	suffix string
	factor int64
}{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30},
	{"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"", 1},
}

func (b *byteSize) Set(s string) error {
	for _, u := range sizeSuffixes {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n <= 0 || n > (1<<62)/u.factor {
			break
		}
		*b = byteSize(n * u.factor)
		return nil
	}
	return fmt.Errorf("want a positive size such as 1048576, 512Ki or 64Mi")
}

func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range sizeSuffixes[:3] {
		if n >= u.factor && n%u.factor == 0 && n/u.factor < 1024 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Type() string { return "size" }
