package compiler

import (
	"strconv"

	"github.com/meshroute/meshroute/compiler/model"
)

// shared hands out one Destination and one Forward per distinct value in a cluster, so a million
// route instances (routes × clusters) do not each carry their own copies: at fleet scale those
// copies were most of the model's memory. Sharing is safe because nothing changes a Forward or
// a Destination once Build made it (route policies go into the Route, never into its Forward).
type shared struct {
	dests    map[model.Destination]*sharedDest
	forwards map[forwardKey]*model.Forward
}

// sharedDest is an interned Destination and its ordinal, which keys the Forwards naming it.
type sharedDest struct {
	d  *model.Destination
	id int
}

// forwardKey is a Forward's value: its destinations and its rewrites. The first destination
// is keyed by value, so the usual Forward (one destination) costs one lookup.
type forwardKey struct {
	first model.Destination
	// rest are the interning ordinals of the other destinations of a split.
	rest        string
	path        string
	hasPath     bool
	regex       model.RegexRewrite
	hasRegex    bool
	hostRewrite string
}

func newShared() *shared {
	return &shared{dests: map[model.Destination]*sharedDest{}, forwards: map[forwardKey]*model.Forward{}}
}

// destination returns the cluster's one Destination equal to d.
func (s *shared) destination(d model.Destination) *model.Destination {
	return s.dest(d).d
}

func (s *shared) dest(d model.Destination) *sharedDest {
	if sd, ok := s.dests[d]; ok {
		return sd
	}
	kept := d
	sd := &sharedDest{d: &kept, id: len(s.dests)}
	s.dests[d] = sd
	return sd
}

// forward returns the cluster's one Forward with f's rewrites and dests as its destinations
// (f.Destinations is ignored). Neither f nor dests is kept.
func (s *shared) forward(f *model.Forward, dests []model.Destination) *model.Forward {
	k := forwardKey{hostRewrite: f.HostRewrite}
	var rest []byte
	for i, d := range dests {
		if i == 0 {
			k.first = d
		} else {
			rest = strconv.AppendInt(append(rest, ','), int64(s.dest(d).id), 10)
		}
	}
	k.rest = string(rest)
	if f.PathRewrite != nil {
		k.path, k.hasPath = *f.PathRewrite, true
	}
	if f.RegexRewrite != nil {
		k.regex, k.hasRegex = *f.RegexRewrite, true
	}
	if fw, ok := s.forwards[k]; ok {
		return fw
	}
	fw := *f
	fw.Destinations = make([]*model.Destination, len(dests))
	for i, d := range dests {
		fw.Destinations[i] = s.destination(d)
	}
	s.forwards[k] = &fw
	return &fw
}
