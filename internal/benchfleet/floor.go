package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// floorResult is what a program that only reads the input and writes the output would take:
// goyaml.v3 decoding every input document and encoding every output document, on one thread.
type floorResult struct {
	decode, encode  time.Duration
	docsIn, docsOut int
}

func (f floorResult) total() time.Duration { return f.decode + f.encode }

// measureFloor decodes the input files and encodes the output files' documents (decoded first,
// untimed, one file at a time so the floor's own memory stays small).
func measureFloor(in, out string) (floorResult, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var r floorResult
	err := eachYAML(in, func(data []byte) error {
		start := time.Now()
		n, err := decodeAll(data, nil)
		r.decode += time.Since(start)
		r.docsIn += n
		return err
	})
	if err != nil {
		return r, err
	}
	err = eachYAML(out, func(data []byte) error {
		var docs []any
		if _, err := decodeAll(data, &docs); err != nil {
			return err
		}
		start := time.Now()
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		for _, d := range docs {
			if err := enc.Encode(d); err != nil {
				return err
			}
		}
		err := enc.Close()
		r.encode += time.Since(start)
		r.docsOut += len(docs)
		return err
	})
	return r, err
}

// decodeAll decodes every document of data into a generic value, keeping them in docs when set.
func decodeAll(data []byte, docs *[]any) (int, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if v == nil {
			continue
		}
		n++
		if docs != nil {
			*docs = append(*docs, v)
		}
	}
}

func eachYAML(dir string, do func([]byte) error) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") || strings.Contains(path, "/.") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return do(data)
	})
}
