package dyvms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// parseXMLReference is the tree parser the SDK used before it had its own
// scanner, on encoding/xml in strict mode: the reference the scanner is
// held to.
func parseXMLReference(b []byte) (string, map[string]any, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = errNotEnvelope
			}
			return "", nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			v, err := parseXMLReferenceElement(dec, 0)
			if err != nil {
				return "", nil, err
			}
			m, ok := v.(map[string]any)
			if !ok {
				m = map[string]any{}
			}
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					return se.Name.Local, m, nil
				}
				if err != nil {
					return "", nil, err
				}
				if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
					continue
				}
				switch tok.(type) {
				case xml.Comment, xml.ProcInst:
					continue
				}
				return "", nil, errors.New("trailing data after XML root element")
			}
		}
	}
}

func parseXMLReferenceElement(dec *xml.Decoder, depth int) (any, error) {
	if depth > maxXMLDepth {
		return nil, errors.New("XML nested too deeply")
	}
	var text []byte
	var children map[string]any
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := parseXMLReferenceElement(dec, depth+1)
			if err != nil {
				return nil, err
			}
			if children == nil {
				children = map[string]any{}
			}
			addChild(children, t.Name.Local, v)
		case xml.CharData:
			text = append(text, t...)
		case xml.EndElement:
			if children != nil {
				return children, nil
			}
			return string(text), nil
		}
	}
}

// xmlCases are documents, well-formed or not, on which the scanner and
// encoding/xml must agree.
var xmlCases = []string{
	`<?xml version="1.0" encoding="UTF-8"?><SingleCallByTtsResponse><RequestId>A</RequestId><Code>OK</Code><CallId>1^2</CallId></SingleCallByTtsResponse>`,
	`<?xml version='1.0' encoding='utf-8' standalone="yes"?>` + "\n<Error>\r\n <Code>x</Code>\r<Message>a\r\nb\rc</Message></Error>\n\n",
	`<R><List><Item><N>a</N></Item><Item><N>b</N></Item><Item><N>c</N></Item></List><Empty/><E2></E2></R>`,
	`<R a="1" b='&lt;&#65;&#x42;' c = "x"><V>&lt;&gt;&amp;&apos;&quot;&#20013;&#x1F600;</V></R>`,
	`<R><V><![CDATA[<not> & markup]]]></V><W>a<![CDATA[b]]>c</W></R>`,
	`<!-- lead --><?pi x?><!DOCTYPE R [<!ENTITY e "v"> <!-- c --> ]><R><!-- in --><?pi?><V>t<!--x-->u</V></R><!-- tail --> <?pi?>`,
	`<ns:R xmlns:ns="urn:x"><ns:V>1</ns:V><V>2</V><a:V>3</a:V></ns:R>`,
	`<R><:V>1</:V><V:>2</V:></R>`,
	`text before <R><V>1</V></R>`,
	`<R>mixed<C>1</C>text</R>`,
	`<R><V>` + "\u00e9\u4e2d" + `</V></R>`,
	`<R>` + strings.Repeat("<a>", 64) + strings.Repeat("</a>", 64) + `</R>`,
	// Malformed.
	`<R>` + strings.Repeat("<a>", 65) + strings.Repeat("</a>", 65) + `</R>`,
	`<R><V>1</W></R>`, `<R><V>1</V>`, `<R`, `<R a=1></R>`, `<R a></R>`, `<R a="<"></R>`, `<R/ >`,
	`<R>&bogus;</R>`, `<R>&lt</R>`, `<R>&#;</R>`, `<R>&#0;</R>`, `<R>&#xFFFE;</R>`, `<R>&#99999999999;</R>`,
	"<R>\x01</R>", "<R>\xff</R>", `<R>a]]>b</R>`, `<R><![CDATA[open</R>`, `<R><!-- a -- b --></R>`, `<R><!- x --></R>`,
	`<R><![CDXTA[x]]></R>`, `</R>`, `<R></R><S/>`, `<R></R>trailing`, `<R></R><!DOCTYPE x>`, `<R></R></S>`,
	`<?xml version="1.1"?><R/>`, `<?xml version="1.0" encoding="GBK"?><R/>`, `<? ?><R/>`, `<?xml`, `<1R/>`, `<a:b:c/>`,
	`<R a:b:c="1"/>`, `<R></R >`, `<R></R x>`, "<R>\u00a0</R>\u00a0", `<R></R>&amp;`, `<!DOCTYPE R`, `<R><!`,
	`<a:R></b:R>`, `<R></R:x>`, ``, `   `, `<!-- only -->`,
}

// TestParseXMLMatchesEncodingXML: on every case the scanner gives the tree
// encoding/xml gives, and refuses what encoding/xml refuses.
func TestParseXMLMatchesEncodingXML(t *testing.T) {
	for _, doc := range xmlCases {
		checkXMLAgainstReference(t, []byte(doc), true)
	}
}

// TestParseXMLErrors: a malformed document is a syntax error ("malformed
// XML" in an *Error), a truncated one too, and one with no element is not
// an envelope.
func TestParseXMLErrors(t *testing.T) {
	for _, doc := range []string{`<R><V>1</W></R>`, `<R><V>1</V>`, `<R>&bogus;</R>`, `<?xml version="1.0" encoding="GBK"?><R/>`} {
		_, _, err := parseXML([]byte(doc))
		var se *xmlSyntaxError
		if !errors.As(err, &se) || shortReason(err) != "malformed XML" {
			t.Errorf("%q: %v (%T)", doc, err, err)
		}
	}
	_, _, err := parseXML([]byte(`<!-- only -->`))
	if !errors.Is(err, errNotEnvelope) {
		t.Errorf("comment only: %v", err)
	}
}

func checkXMLAgainstReference(t *testing.T, doc []byte, strict bool) {
	t.Helper()
	wantRoot, wantTree, wantErr := parseXMLReference(doc)
	root, tree, err := parseXML(doc)
	switch {
	case wantErr == nil && err != nil:
		t.Errorf("%q: encoding/xml reads it, the scanner says %v", doc, err)
	case wantErr == nil && (root != wantRoot || !reflect.DeepEqual(tree, wantTree)):
		t.Errorf("%q: scanner %q %#v, encoding/xml %q %#v", doc, root, tree, wantRoot, wantTree)
	case wantErr != nil && err == nil && strict:
		t.Errorf("%q: encoding/xml refuses it (%v), the scanner reads %q %#v", doc, wantErr, root, tree)
	case errors.Is(wantErr, errNotEnvelope) != errors.Is(err, errNotEnvelope):
		t.Errorf("%q: scanner %v, encoding/xml %v", doc, err, wantErr)
	}
}

// FuzzParseXML: on any input the scanner never panics, reads every
// document encoding/xml reads into the same tree, and refuses what it
// refuses, except for names beyond ASCII, which the scanner checks only
// for valid UTF-8.
func FuzzParseXML(f *testing.F) {
	for _, doc := range xmlCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkXMLAgainstReference(t, doc, !hasNonASCII(doc))
	})
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
