package dyvms

import (
	"hash/maphash"
	"time"
)

// markIndex finds the latest mark of a key in a MemoryDeduper's ring: a
// hash table with open addressing, linear probing and backward-shift
// deletion, whose slot is the key's hash and the mark's sequence number,
// 16 bytes. The key itself is kept once, in the ring, at the position the
// sequence number gives (markRing.at); a probe reads it only when the hashes
// match. With no tombstones, an index that churns through keys at a steady
// size never allocates, and its size is bounded by the most keys it held at
// once. Slots come from a keyed hash with a per-index random seed, so
// pushes crafted to collide cannot build long probe chains.
type markIndex struct {
	seed  maphash.Seed
	slots []markSlot
	used  int
	grown time.Time // when the index last grew
}

type markSlot struct {
	hash uint64 // 0 when empty
	seq  uint64
}

// markRing is the marks of a MemoryDeduper, oldest first; the mark with
// sequence number s is at s modulo the ring's length.
type markRing []dedupEntry

type dedupEntry struct {
	key ReceiptKey
	at  int64 // when it was marked, Unix nanoseconds
}

// at returns the entry of the mark with sequence number seq.
func (r markRing) at(seq uint64) *dedupEntry { return &r[seq%uint64(len(r))] }

// minKeySlots is the smallest index. An index that empties keeps up to
// keepKeySlots slots, DefaultDedupEntries' worth; a larger one is dropped
// when it empties after keepIdle without growing, so a deduper past a
// burst does not hold its peak for ever.
const (
	minKeySlots  = 64
	keepKeySlots = 1 << 17
	keepIdle     = time.Minute
)

func (x *markIndex) hashOf(k *ReceiptKey) uint64 {
	return maphash.Bytes(x.seed, k[:]) | 1<<63 // never 0; the low bits pick the slot
}

// find returns k's slot, or the empty slot where it would go.
func (x *markIndex) find(k *ReceiptKey, h uint64, ring markRing) (int, bool) {
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		switch x.slots[i].hash {
		case 0:
			return i, false
		case h:
			if ring.at(x.slots[i].seq).key == *k {
				return i, true
			}
		}
	}
}

// get returns the sequence number of k's latest mark.
func (x *markIndex) get(k *ReceiptKey, ring markRing) (uint64, bool) {
	if x.used == 0 {
		return 0, false
	}
	i, ok := x.find(k, x.hashOf(k), ring)
	return x.slots[i].seq, ok
}

// set records seq as k's latest mark; ring already holds k at seq.
func (x *markIndex) set(k *ReceiptKey, seq uint64, ring markRing) {
	if (x.used+1)*16 > len(x.slots)*13 {
		x.resize(max(2*len(x.slots), minKeySlots))
	}
	h := x.hashOf(k)
	i, ok := x.find(k, h, ring)
	if !ok {
		x.used++
	}
	x.slots[i] = markSlot{hash: h, seq: seq}
}

// delIf forgets k if its latest mark is seq, shifting back the entries
// probed past its slot.
func (x *markIndex) delIf(k *ReceiptKey, seq uint64, ring markRing) {
	if x.used == 0 {
		return
	}
	i, ok := x.find(k, x.hashOf(k), ring)
	if !ok || x.slots[i].seq != seq {
		return
	}
	mask := len(x.slots) - 1
	for j := (i + 1) & mask; x.slots[j].hash != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home slot lies
		// in the cyclic range (i, j].
		if (j-int(x.slots[j].hash))&mask >= (j-i)&mask {
			x.slots[i] = x.slots[j]
			i = j
		}
	}
	x.slots[i] = markSlot{}
	if x.used--; x.used == 0 && len(x.slots) > keepKeySlots && time.Since(x.grown) > keepIdle {
		x.slots = nil
	}
}

// resize rehashes into n slots (a power of two).
func (x *markIndex) resize(n int) {
	old := x.slots
	if old == nil {
		x.seed = maphash.MakeSeed()
	}
	x.slots = make([]markSlot, n)
	x.grown = time.Now()
	mask := n - 1
	for _, s := range old {
		if s.hash == 0 {
			continue
		}
		i := int(s.hash) & mask
		for x.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}
