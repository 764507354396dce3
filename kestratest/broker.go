package kestratest

import "sync"

// event is one message for SSE followers: an execution snapshot or a log line
// (data is the marshalled JSON, shared by all subscribers).
type event struct {
	data     []byte
	terminal bool      // execution events: the snapshot is in a terminal state
	seq      int64     // log events: the line's sequence number
	log      *logEntry // log events: the line itself, for filtering
}

// subscriber queues events without bound so that publishers never wait for a
// slow SSE reader; a reader drains the queue when notified.
type subscriber struct {
	mu     sync.Mutex
	queue  []event
	notify chan struct{}
	closed bool
}

func (s *subscriber) push(ev event) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.queue = append(s.queue, ev)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// drain returns and clears the queued events.
func (s *subscriber) drain() []event {
	s.mu.Lock()
	q := s.queue
	s.queue = nil
	s.mu.Unlock()
	return q
}

// broker fans events out to the subscribers of a topic.
type broker struct {
	mu   sync.Mutex
	subs map[string]map[*subscriber]struct{}
}

func newBroker() *broker { return &broker{subs: map[string]map[*subscriber]struct{}{}} }

func (b *broker) subscribe(topic string) *subscriber {
	s := &subscriber{notify: make(chan struct{}, 1)}
	b.mu.Lock()
	m := b.subs[topic]
	if m == nil {
		m = map[*subscriber]struct{}{}
		b.subs[topic] = m
	}
	m[s] = struct{}{}
	b.mu.Unlock()
	return s
}

func (b *broker) unsubscribe(topic string, s *subscriber) {
	b.mu.Lock()
	if m := b.subs[topic]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(b.subs, topic)
		}
	}
	b.mu.Unlock()
	s.mu.Lock()
	s.closed = true
	s.queue = nil
	s.mu.Unlock()
}

// publish never blocks on subscribers.
func (b *broker) publish(topic string, ev event) {
	b.mu.Lock()
	m := b.subs[topic]
	if len(m) == 0 {
		b.mu.Unlock()
		return
	}
	list := make([]*subscriber, 0, len(m))
	for s := range m {
		list = append(list, s)
	}
	b.mu.Unlock()
	for _, s := range list {
		s.push(ev)
	}
}
