package cmd

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// progressDelay: a job quicker than this prints no progress line at all; progressEvery is how
// often the line is redrawn.
var (
	progressDelay = time.Second
	progressEvery = 200 * time.Millisecond
)

// progress is compile's line on a terminal's standard error — files loaded, clusters emitted,
// objects rendered — redrawn in place once the job has run for progressDelay. The counters are
// always kept; the line only exists on a terminal and without -q, and stop erases it before
// anything else is printed. Standard output never carries it.
type progress struct {
	w                               io.Writer
	files, clusters, total, objects atomic.Int64
	stopped, done                   chan struct{}
}

func startProgress(e env, quiet bool) *progress {
	p := &progress{w: e.stderr}
	if !e.progress || quiet {
		return p
	}
	p.stopped, p.done = make(chan struct{}), make(chan struct{})
	go p.draw()
	return p
}

func (p *progress) draw() {
	defer close(p.done)
	wait := time.NewTimer(progressDelay)
	defer wait.Stop()
	select {
	case <-p.stopped:
		return
	case <-wait.C:
	}
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.line())
		select {
		case <-p.stopped:
			fmt.Fprint(p.w, "\r\x1b[K")
			return
		case <-tick.C:
		}
	}
}

func (p *progress) line() string {
	s := fmt.Sprintf("meshroute: %d files loaded", p.files.Load())
	if total := p.total.Load(); total > 0 {
		s += fmt.Sprintf(", %d/%d clusters emitted, %d objects rendered", p.clusters.Load(), total, p.objects.Load())
	}
	return s
}

// stop erases the line (if it was drawn) and stops drawing; safe to call more than once.
func (p *progress) stop() {
	if p.stopped == nil {
		return
	}
	close(p.stopped)
	<-p.done
	p.stopped = nil
}
