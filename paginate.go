package dyvms

import (
	"context"
	"iter"
	"strconv"
	"strings"
)

// page is one page of a paged listing.
type page[Item any] struct {
	items []Item
	// total is the number of items in the whole listing, or 0 if unknown.
	total int64
	// size is the page size used, or 0 if unknown.
	size int64
}

// maxPages stops a listing whose server never signals its end.
const maxPages = 100000

// paginate iterates over every item of a paged listing, fetching page
// numbers first, first+1, ... with fetch. It stops after the item that
// reaches the total, on an empty page, on a short page when the total is
// unknown, on the first error (yielded once, with a zero Item), or when ctx
// is done. It starts no goroutine; fetch must not modify the caller's
// request (copy it and set the page number on the copy).
func paginate[Item any](ctx context.Context, first int32, fetch func(ctx context.Context, pageNo int32) (page[Item], error)) iter.Seq2[Item, error] {
	if first < 1 {
		first = 1
	}
	return func(yield func(Item, error) bool) {
		var zero Item
		var seen int64
		for pageNo := first; pageNo < first+maxPages; pageNo++ {
			// A nil ctx goes on to fetch, whose call returns the same
			// "nil context" error the plain method gives.
			if ctx != nil && ctx.Err() != nil {
				yield(zero, ctx.Err())
				return
			}
			p, err := fetch(ctx, pageNo)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.items {
				if !yield(it, nil) {
					return
				}
			}
			seen += int64(len(p.items))
			switch {
			case len(p.items) == 0:
				return
			case p.total > 0 && seen+int64(first-1)*p.size >= p.total:
				return
			case p.total <= 0 && p.size > 0 && int64(len(p.items)) < p.size:
				return
			}
		}
	}
}

// pageSizeOr is the page size a response reports, or else the one asked for.
func pageSizeOr(reported, asked int64) int64 {
	if reported > 0 {
		return reported
	}
	return asked
}

// pageNumber is the integer type of a request's page-number field.
type pageNumber interface{ ~int32 | ~int64 }

// listAll is the body of every XxxAll method. It copies *req once (nil is
// an empty request) and fetches each page with a fresh copy of that copy
// whose page number, reached through pageNo, is the page wanted, so the
// caller's request is never modified. It starts at the request's page
// number (page 1 when unset) and stops as paginate does.
func listAll[Req any, N pageNumber, Item any](ctx context.Context, req *Req, pageNo func(*Req) *N,
	fetch func(ctx context.Context, r *Req) (page[Item], error)) iter.Seq2[Item, error] {
	var base Req
	if req != nil {
		base = *req
	}
	first := int32(1)
	if n := *pageNo(&base); n > 1 && n < maxPages {
		first = int32(n)
	}
	return paginate(ctx, first, func(ctx context.Context, n int32) (page[Item], error) {
		r := base
		*pageNo(&r) = N(n)
		return fetch(ctx, &r)
	})
}

// offsetAll is listAll for listings paged by an offset and a limit (Offset
// or Start, and Limit): it copies *req once (nil is an empty request) and
// fetches page n with a copy whose offset is the request's offset plus n-1
// times the limit (the request's, or defLimit when it sets none). get reads
// a request's offset and limit, set writes them. It stops as paginate does;
// the caller's request is never modified.
func offsetAll[Req any, Item any](ctx context.Context, req *Req, get func(*Req) (offset, limit int64), set func(r *Req, offset, limit int64),
	defLimit int64, fetch func(ctx context.Context, r *Req) (page[Item], error)) iter.Seq2[Item, error] {
	var base Req
	if req != nil {
		base = *req
	}
	start, size := get(&base)
	if start < 0 {
		start = 0
	}
	if size <= 0 {
		size = defLimit
	}
	return paginate(ctx, 1, func(ctx context.Context, n int32) (page[Item], error) {
		r := base
		set(&r, start+int64(n-1)*size, size)
		p, err := fetch(ctx, &r)
		if p.total > 0 {
			p.total -= start
		}
		p.size = size
		return p, err
	})
}

// int64Text reads a number sent as a string field (an offset or a limit);
// 0 when it is empty or not a number.
func int64Text(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

// freshInt64 points *p at a new int64 holding *p's value (0 when nil) and
// returns it, so a copied request can set a pointer field without writing
// through to the request it was copied from.
func freshInt64(p **int64) *int64 {
	var n int64
	if *p != nil {
		n = **p
	}
	*p = &n
	return &n
}
