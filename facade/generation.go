package facade

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Server API generations: they differ in the routes of execution actions
// (1.x: .../executions/{id}/kill; 2.0: .../executions/{id}/actions/kill)
// and in some answers (a 1.x kill answers 202 without a body).
const (
	generationUnknown = 0
	generation1       = 1
	generation2       = 2
)

// generationCache holds a Flow's server generation, detected once: by the
// version GET /api/v1/configs reports, else learnt from the first action
// whose 2.0 route answered 404 and 1.x route did not.
//
// It is kept for one server: a call to another Hostname starts over.
type generationCache struct {
	mu       sync.Mutex
	base     string // the server it describes
	value    int
	probed   bool          // configs was read and said nothing conclusive
	inflight chan struct{} // closed when the running probe ends
}

// generation returns the server's generation, or generationUnknown when
// neither the option nor the server's version says it.
func (c *call) generation(ctx context.Context) int {
	if c.set.majorVersion != 0 {
		return c.set.majorVersion
	}
	g := &c.f.gen
	for {
		g.mu.Lock()
		if g.base != c.base && g.inflight == nil {
			g.base, g.value, g.probed = c.base, generationUnknown, false
		}
		if g.base == c.base && (g.value != generationUnknown || g.probed) {
			v := g.value
			g.mu.Unlock()
			return v
		}
		if ch := g.inflight; ch != nil {
			g.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return generationUnknown
			}
		}
		ch := make(chan struct{})
		g.inflight = ch
		g.mu.Unlock()

		v, conclusive := c.readGeneration(ctx)
		g.mu.Lock()
		g.inflight = nil
		if conclusive && g.base == c.base {
			g.value, g.probed = v, true
		}
		g.mu.Unlock()
		close(ch)
		if !conclusive {
			return generationUnknown
		}
		return v
	}
}

// learn records a generation an action proved on base (first proof wins).
func (g *generationCache) learn(base string, v int) {
	g.mu.Lock()
	if g.base == base && g.value == generationUnknown {
		g.value = v
	}
	g.mu.Unlock()
}

// readGeneration reads GET /api/v1/configs. conclusive is false only when
// the server could not be asked (a transport failure, the context ending):
// then the next action asks again. An answer without a usable version
// (401 on servers that protect configs, a development build) is conclusive:
// the 404 fallback decides.
func (c *call) readGeneration(ctx context.Context) (v int, conclusive bool) {
	resp, err := c.api.GetConfiguration(ctx)
	if err != nil {
		return generationUnknown, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return generationUnknown, true
	}
	var cfg struct {
		Version string `json:"version"`
	}
	if json.NewDecoder(resp.Body).Decode(&cfg) != nil {
		return generationUnknown, true
	}
	return generationOfVersion(cfg.Version), true
}

// generationOfVersion maps a server version to its API generation:
// 2.x and later use the 2.0 routes; 1.x and 0.y (y > 0) the 1.x routes;
// anything else (empty, unparsable, a 0.0.0 development build) is unknown.
func generationOfVersion(version string) int {
	v := strings.TrimPrefix(strings.TrimSpace(version), "v")
	majorText, rest, _ := strings.Cut(v, ".")
	minorText, _, _ := strings.Cut(rest, ".")
	minorText, _, _ = strings.Cut(minorText, "-")
	major, err1 := strconv.Atoi(majorText)
	minor, err2 := strconv.Atoi(minorText)
	switch {
	case err1 != nil || err2 != nil || major < 0:
		return generationUnknown
	case major >= 2:
		return generation2
	case major == 1 || minor > 0:
		return generation1
	}
	return generationUnknown
}
