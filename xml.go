package dyvms

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The service's XML envelopes are parsed by a small scanner of its own
// rather than encoding/xml: it accepts the documents encoding/xml accepts
// in strict mode (elements, attributes, the five predefined and numeric
// character references, CDATA, comments, processing instructions, DOCTYPE
// directives) and gives the same tree, without linking encoding/xml into
// every program that makes a call. Attributes are checked and dropped;
// namespace prefixes are dropped from names.

// xmlSyntaxError is a body that is not well-formed XML.
type xmlSyntaxError struct{ msg string }

func (e *xmlSyntaxError) Error() string { return "XML syntax error: " + e.msg }

func xmlError(msg string) error { return &xmlSyntaxError{msg} }

// errXMLEOF is a document that ends inside markup or an element.
var errXMLEOF = xmlError("unexpected EOF")

// maxXMLDepth bounds nesting so a hostile body cannot exhaust the stack.
const maxXMLDepth = 64

// xmlToken is the kind of one piece of an XML document.
type xmlToken int

const (
	xmlEOF       xmlToken = iota
	xmlText               // character data or a CDATA section
	xmlStart              // <name ...>
	xmlEmpty              // <name .../>
	xmlEnd                // </name>
	xmlOther              // a comment or a processing instruction
	xmlDirective          // <!DOCTYPE ...> and the like
)

// xmlScanner reads an XML document held in memory.
type xmlScanner struct {
	b   []byte
	i   int
	buf []byte // the text of the last xmlText token
}

// parseXML turns an XML document into a tree: an element with child
// elements becomes a map (repeated names become []any), a leaf its text.
// It returns the root element's name and its children.
func parseXML(b []byte) (string, map[string]any, error) {
	s := &xmlScanner{b: b}
	for {
		tok, name, err := s.next()
		switch {
		case err != nil:
			return "", nil, err
		case tok == xmlEOF:
			return "", nil, errNotEnvelope // nothing but text, comments and directives
		case tok == xmlEnd:
			return "", nil, xmlError("unexpected end element </" + xmlLocal(name) + ">")
		case tok == xmlStart || tok == xmlEmpty:
			v, err := s.element(name, tok == xmlEmpty, 0)
			if err != nil {
				return "", nil, err
			}
			m, ok := v.(map[string]any)
			if !ok {
				m = map[string]any{}
			}
			if err := s.rest(); err != nil {
				return "", nil, err
			}
			return xmlLocal(name), m, nil
		}
	}
}

// rest checks that nothing but white space, comments and processing
// instructions follow the root element.
func (s *xmlScanner) rest() error {
	for {
		tok, name, err := s.next()
		switch {
		case err != nil:
			return err
		case tok == xmlEOF:
			return nil
		case tok == xmlText && len(bytes.TrimSpace(s.buf)) == 0, tok == xmlOther:
			continue
		case tok == xmlEnd:
			return xmlError("unexpected end element </" + xmlLocal(name) + ">")
		}
		return errors.New("trailing data after XML root element")
	}
}

// element reads the content of the element name, whose start tag has just
// been read, up to its end tag: a map of its child elements, or its text
// when it has none.
func (s *xmlScanner) element(name string, empty bool, depth int) (any, error) {
	if depth > maxXMLDepth {
		return nil, errors.New("XML nested too deeply")
	}
	if empty {
		return "", nil
	}
	var text []byte
	var children map[string]any
	for {
		tok, child, err := s.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case xmlEOF:
			return nil, errXMLEOF
		case xmlText:
			text = append(text, s.buf...)
		case xmlStart, xmlEmpty:
			v, err := s.element(child, tok == xmlEmpty, depth+1)
			if err != nil {
				return nil, err
			}
			if children == nil {
				children = map[string]any{}
			}
			addChild(children, xmlLocal(child), v)
		case xmlEnd:
			if child != name {
				return nil, xmlError("element <" + xmlLocal(name) + "> closed by </" + xmlLocal(child) + ">")
			}
			if children != nil {
				return children, nil
			}
			return string(text), nil
		}
	}
}

// addChild adds the value v of a child element. An element's value is a
// string or a map, never a slice, so a slice always means the name
// repeated.
func addChild(children map[string]any, name string, v any) {
	switch prev := children[name].(type) {
	case nil:
		children[name] = v
	case []any:
		children[name] = append(prev, v)
	default:
		children[name] = []any{prev, v}
	}
}

// xmlLocal returns a name without its namespace prefix.
func xmlLocal(name string) string {
	if prefix, local, ok := strings.Cut(name, ":"); ok && prefix != "" && local != "" {
		return local
	}
	return name
}

// getc reads one byte; ok is false at the end of the document.
func (s *xmlScanner) getc() (byte, bool) {
	if s.i >= len(s.b) {
		return 0, false
	}
	s.i++
	return s.b[s.i-1], true
}

// mustgetc reads one byte that must be there.
func (s *xmlScanner) mustgetc() (byte, error) {
	if c, ok := s.getc(); ok {
		return c, nil
	}
	return 0, errXMLEOF
}

// space skips white space.
func (s *xmlScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\r', '\n', '\t':
			s.i++
		default:
			return
		}
	}
}

// next reads one token. For xmlStart, xmlEmpty and xmlEnd name is the
// element's name as written; the text of xmlText is in s.buf.
func (s *xmlScanner) next() (tok xmlToken, name string, err error) {
	if s.i >= len(s.b) {
		return xmlEOF, "", nil
	}
	if s.b[s.i] != '<' {
		return xmlText, "", s.text(-1, false)
	}
	s.i++
	c, err := s.mustgetc()
	if err != nil {
		return 0, "", err
	}
	switch c {
	case '/':
		return s.endTag()
	case '?':
		return xmlOther, "", s.procInst()
	case '!':
		return s.bang()
	}
	s.i--
	return s.startTag()
}

// endTag reads the rest of </name>.
func (s *xmlScanner) endTag() (xmlToken, string, error) {
	name, err := s.nsname("expected element name after </")
	if err != nil {
		return 0, "", err
	}
	s.space()
	c, err := s.mustgetc()
	if err != nil {
		return 0, "", err
	}
	if c != '>' {
		return 0, "", xmlError("invalid characters between </" + xmlLocal(name) + " and >")
	}
	return xmlEnd, name, nil
}

// startTag reads the rest of <name attr="value" ...> or <name .../>.
func (s *xmlScanner) startTag() (xmlToken, string, error) {
	name, err := s.nsname("expected element name after <")
	if err != nil {
		return 0, "", err
	}
	for {
		s.space()
		c, err := s.mustgetc()
		if err != nil {
			return 0, "", err
		}
		switch c {
		case '/':
			if c, err = s.mustgetc(); err != nil {
				return 0, "", err
			}
			if c != '>' {
				return 0, "", xmlError("expected /> in element")
			}
			return xmlEmpty, name, nil
		case '>':
			return xmlStart, name, nil
		}
		s.i--
		if err := s.attribute(); err != nil {
			return 0, "", err
		}
	}
}

// attribute reads and drops one name="value".
func (s *xmlScanner) attribute() error {
	if _, err := s.nsname("expected attribute name in element"); err != nil {
		return err
	}
	s.space()
	c, err := s.mustgetc()
	if err != nil {
		return err
	}
	if c != '=' {
		return xmlError("attribute name without = in element")
	}
	s.space()
	if c, err = s.mustgetc(); err != nil {
		return err
	}
	if c != '"' && c != '\'' {
		return xmlError("unquoted or missing attribute value in element")
	}
	return s.text(int(c), false)
}

// procInst reads the rest of <?target ...?>. An XML declaration must
// declare version 1.0 (or none) and UTF-8 (or no encoding).
func (s *xmlScanner) procInst() error {
	target, err := s.name("expected target name after <?")
	if err != nil {
		return err
	}
	s.space()
	end := bytes.Index(s.b[s.i:], []byte("?>"))
	if end < 0 {
		s.i = len(s.b)
		return errXMLEOF
	}
	content := string(s.b[s.i : s.i+end])
	s.i += end + 2
	if target != "xml" {
		return nil
	}
	if v := procInstParam("version", content); v != "" && v != "1.0" {
		return xmlError("unsupported XML version " + strconv.Quote(v))
	}
	if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
		return xmlError("unsupported XML encoding " + strconv.Quote(enc) + ": only UTF-8 is read")
	}
	return nil
}

// procInstParam returns the value of param="value" in the content of a
// processing instruction.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang reads the rest of <!-- comment -->, <![CDATA[ text ]]> or a
// directive such as <!DOCTYPE ...>.
func (s *xmlScanner) bang() (xmlToken, string, error) {
	c, err := s.mustgetc()
	if err != nil {
		return 0, "", err
	}
	switch c {
	case '-':
		return xmlOther, "", s.comment()
	case '[':
		for i := 0; i < len("CDATA["); i++ {
			if c, err = s.mustgetc(); err != nil {
				return 0, "", err
			}
			if c != "CDATA["[i] {
				return 0, "", xmlError("invalid <![ sequence")
			}
		}
		return xmlText, "", s.text(-1, true)
	}
	return xmlDirective, "", s.directive()
}

// comment reads the rest of a comment, after <!-.
func (s *xmlScanner) comment() error {
	c, err := s.mustgetc()
	if err != nil {
		return err
	}
	if c != '-' {
		return xmlError("invalid sequence <!- not part of <!--")
	}
	var b0, b1 byte
	for {
		if c, err = s.mustgetc(); err != nil {
			return err
		}
		if b0 == '-' && b1 == '-' {
			if c != '>' {
				return xmlError(`invalid sequence "--" not allowed in comments`)
			}
			return nil
		}
		b0, b1 = b1, c
	}
}

// directive skips the rest of a directive, after <! and its first byte:
// up to the > that closes it, outside quotes, nested angle brackets and
// comments.
func (s *xmlScanner) directive() error {
	var inquote byte
	depth := 0
	for {
		b, err := s.mustgetc()
		if err != nil {
			return err
		}
		if inquote == 0 && b == '>' && depth == 0 {
			return nil
		}
	handle:
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>':
			depth--
		case b == '<':
			for i := 0; i < len("!--"); i++ {
				if b, err = s.mustgetc(); err != nil {
					return err
				}
				if b != "!--"[i] {
					depth++
					goto handle
				}
			}
			if end := bytes.Index(s.b[s.i:], []byte("-->")); end >= 0 {
				s.i += end + 3
			} else {
				s.i = len(s.b)
				return errXMLEOF
			}
		}
	}
}

// nsname reads an element or attribute name, with at most one colon
// (prefix:local); missing is the error when there is none.
func (s *xmlScanner) nsname(missing string) (string, error) {
	name, err := s.name(missing)
	if err == nil && strings.Count(name, ":") > 1 {
		return "", xmlError(missing)
	}
	return name, err
}

// name reads a name; missing is the error when there is none.
func (s *xmlScanner) name(missing string) (string, error) {
	start := s.i
	ok, err := s.readName()
	if err != nil {
		return "", err
	}
	if !ok {
		return "", xmlError(missing)
	}
	name := s.b[start:s.i]
	if !isXMLName(name) {
		return "", xmlError("invalid XML name: " + string(name))
	}
	return string(name), nil
}

// readName reads the bytes of a name: up to the first ASCII byte that
// cannot be in one. It reports false when there is none.
func (s *xmlScanner) readName() (bool, error) {
	c, err := s.mustgetc()
	if err != nil {
		return false, err
	}
	if c < utf8.RuneSelf && !isXMLNameByte(c) {
		s.i--
		return false, nil
	}
	for {
		if c, err = s.mustgetc(); err != nil {
			return false, err
		}
		if c < utf8.RuneSelf && !isXMLNameByte(c) {
			s.i--
			return true, nil
		}
	}
}

func isXMLNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isXMLName reports whether s is a name: it starts with a letter, '_' or
// ':' (or any character beyond ASCII) and is valid UTF-8.
func isXMLName(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return false
	}
	return utf8.Valid(s)
}

// text reads character data into s.buf: up to '<' (quote < 0, not
// cdata), up to the closing quote of an attribute value (quote), or up to
// ]]> (cdata). It decodes character references, turns \r\n and \r into
// \n, and refuses characters XML does not allow.
func (s *xmlScanner) text(quote int, cdata bool) error {
	s.buf = s.buf[:0]
	var b0, b1 byte
	trunc := 0
	for s.i < len(s.b) {
		b := s.b[s.i]
		s.i++
		if quote < 0 && b0 == ']' && b1 == ']' && b == '>' {
			if cdata {
				trunc = 2
				break
			}
			return xmlError("unescaped ]]> not in CDATA section")
		}
		if b == '<' && !cdata {
			if quote >= 0 {
				return xmlError("unescaped < inside quoted string")
			}
			s.i--
			break
		}
		if quote >= 0 && b == byte(quote) {
			break
		}
		if b == '&' && !cdata {
			if err := s.reference(); err != nil {
				return err
			}
			b0, b1 = 0, 0
			continue
		}
		switch {
		case b == '\r':
			s.buf = append(s.buf, '\n')
		case b1 == '\r' && b == '\n':
		default:
			s.buf = append(s.buf, b)
		}
		b0, b1 = b1, b
	}
	if cdata && trunc == 0 {
		return xmlError("unexpected EOF in CDATA section")
	}
	s.buf = s.buf[:len(s.buf)-trunc]
	return checkXMLChars(s.buf)
}

// reference decodes a character reference, &name; or &#n; or &#xh;, after
// its '&', onto s.buf.
func (s *xmlScanner) reference() error {
	start := s.i
	c, err := s.mustgetc()
	if err != nil {
		return err
	}
	if c == '#' {
		if c, err = s.mustgetc(); err != nil {
			return err
		}
		base := 10
		if c == 'x' {
			base = 16
			if c, err = s.mustgetc(); err != nil {
				return err
			}
		}
		digits := s.i - 1
		for '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			if c, err = s.mustgetc(); err != nil {
				return err
			}
		}
		if c == ';' {
			n, err := strconv.ParseUint(string(s.b[digits:s.i-1]), base, 64)
			if err == nil && n <= unicode.MaxRune {
				s.buf = utf8.AppendRune(s.buf, rune(n))
				return nil
			}
		}
	} else {
		s.i--
		if _, err := s.readName(); err != nil {
			return err
		}
		if c, err = s.mustgetc(); err != nil {
			return err
		}
		if c == ';' {
			if r, ok := xmlEntity(s.b[start : s.i-1]); ok {
				s.buf = append(s.buf, r)
				return nil
			}
		}
	}
	return xmlError("invalid character entity &" + string(s.b[start:s.i]))
}

// xmlEntity returns the character of a predefined entity.
func xmlEntity(name []byte) (byte, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	return 0, false
}

// checkXMLChars refuses invalid UTF-8 and characters outside XML's
// character range.
func checkXMLChars(b []byte) error {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return xmlError("illegal character code " + strconv.Itoa(int(c)))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return xmlError("invalid UTF-8")
		}
		if !(r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
			return xmlError("illegal character code " + strconv.Itoa(int(r)))
		}
		i += size
	}
	return nil
}
