package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"time"
)

// sample is one whole-process run.
type sample struct {
	wall time.Duration
	rss  int64 // peak resident set, bytes
}

// runProcess runs name with args, wanting exit code 0, and measures it.
func runProcess(name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		s.rss = peakRSS(cmd.ProcessState)
	}
	if err != nil {
		tail := stderr.String()
		if len(tail) > 2000 {
			tail = "…" + tail[len(tail)-2000:]
		}
		return s, fmt.Errorf("%s %v: %v\n%s", name, args, err, tail)
	}
	return s, nil
}

// series is the runs of one job.
type series []sample

// median is the median wall time (the lower middle one of an even count).
func (s series) median() time.Duration {
	if len(s) == 0 {
		return 0
	}
	walls := make([]time.Duration, len(s))
	for i, x := range s {
		walls[i] = x.wall
	}
	slices.Sort(walls)
	return walls[(len(walls)-1)/2]
}

// peak is the highest peak RSS of the runs.
func (s series) peak() int64 {
	var p int64
	for _, x := range s {
		p = max(p, x.rss)
	}
	return p
}
