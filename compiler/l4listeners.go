package compiler

import (
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// l4ListenerPlan plans listener i of vg, a tcp listener: plain TCP serving tcp routes, or, with
// tls, TLS passthrough serving tls routes by SNI. A tls mode left out is PASSTHROUGH, the Gloo
// enum's zero value: nothing else makes sense where the gateway routes no HTTP. Terminating
// modes and AUTO_PASSTHROUGH are refused (nil).
func (b *builder) l4ListenerPlan(vg *schema.VirtualGateway, i int, l *schema.Listener) *listenerPlan {
	lp := &listenerPlan{index: i, protocol: model.ProtocolTCP}
	lp.admit(vg, l)
	if l.TLS == nil {
		return lp
	}
	mode := strings.ToUpper(l.TLS.Mode)
	if mode == "" {
		mode = "PASSTHROUGH"
	}
	if mode != "PASSTHROUGH" {
		at := "/spec/listeners/" + strconv.Itoa(i) + "/tls/mode"
		d := on(&vg.Object, at, diag.TCPListenerTLSMode(vg.FieldPos(at), mode))
		if mode == "AUTO_PASSTHROUGH" {
			// The SNI itself names the destination service (Istio's east-west gateway): no
			// route table binds, and the Envoy target has no such SNI-named clusters.
			d = d.WithHint("AUTO_PASSTHROUGH is Istio's east-west gateway, which Istio's own installation sets up (declare it as the Cluster's eastWestGateway); keep this listener out of meshroute's input, or use PASSTHROUGH with tls routes")
		} else {
			d = d.WithHint("use PASSTHROUGH (or leave mode out) to forward TLS unterminated with tls routes, or an http listener to terminate TLS and route HTTP")
		}
		b.report(d)
		b.refuse(vg, "", lp)
		return nil
	}
	lp.protocol = model.ProtocolTLS
	lp.tls = &model.TLS{Mode: mode}
	return lp
}
