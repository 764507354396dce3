package ion

// itemStack holds the items of the lists being parsed, nested lists each
// above the previous one's, in fixed-size chunks, so that a list is copied
// once into a slice of its exact length: a growing slice would allocate
// several times a long list's final size (append grows large slices by
// 1.25x steps) and keep its spare capacity. Chunks are reused.
type itemStack struct {
	chunks [][]any
	n      int // items on the stack
}

const itemChunk = 512

func (s *itemStack) len() int { return s.n }

func (s *itemStack) push(v any) {
	c := s.n / itemChunk
	if c == len(s.chunks) {
		s.chunks = append(s.chunks, make([]any, itemChunk))
	}
	s.chunks[c][s.n%itemChunk] = v
	s.n++
}

// pop removes the items from base up and returns them in a new slice.
func (s *itemStack) pop(base int) []any {
	out := make([]any, s.n-base)
	for i := 0; i < len(out); {
		k := base + i
		i += copy(out[i:], s.chunks[k/itemChunk][k%itemChunk:])
	}
	s.drop(base)
	return out
}

// drop removes the items from base up.
func (s *itemStack) drop(base int) {
	for k := base; k < s.n; {
		c := s.chunks[k/itemChunk][k%itemChunk:]
		c = c[:min(len(c), s.n-k)]
		clear(c)
		k += len(c)
	}
	s.n = base
	if s.n == 0 && len(s.chunks) > 64 {
		s.chunks = s.chunks[:64:64] // a huge list's chunks are not kept
	}
}
