package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// The languages of the pages: English first (the fallback), then Simplified
// Chinese. Their messages are locales/<code>/*.yaml, one file per area, so
// that each area's words live next to each other.
var languages = []struct {
	Code string // the cookie's and the switch's value, and the folder
	Tag  language.Tag
	Name string // in its own language, for the switch
}{
	{"en", language.English, "English"},
	{"zh", language.SimplifiedChinese, "中文"},
}

// LangCookie keeps the reader's choice of language.
const LangCookie = "aftersale_lang"

// Catalog holds every message in every language.
type Catalog struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	locales map[string]*Locale
	ids     map[string][]string // message ids by language code

	mu      sync.Mutex
	missing map[string]bool // "lang:id" asked for and absent (tests read it)
}

// LoadCatalog reads the embedded message files.
func LoadCatalog() (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(language.English), locales: map[string]*Locale{},
		ids: map[string][]string{}, missing: map[string]bool{}}
	tags := make([]language.Tag, 0, len(languages))
	for _, lang := range languages {
		tags = append(tags, lang.Tag)
		names, err := fs.Glob(files, path.Join("locales", lang.Code, "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("web: messages: %w", err)
		}
		for _, n := range names {
			buf, err := files.ReadFile(n)
			if err != nil {
				return nil, fmt.Errorf("web: messages: %w", err)
			}
			msgs, err := c.bundle.ParseMessageBytes(lang.Tag, buf, yaml.Unmarshal)
			if err != nil {
				return nil, fmt.Errorf("web: messages %s: %w", n, err)
			}
			for _, m := range msgs {
				if slices.Contains(c.ids[lang.Code], m.ID) {
					return nil, fmt.Errorf("web: messages %s: %s is defined twice", n, m.ID)
				}
				c.ids[lang.Code] = append(c.ids[lang.Code], m.ID)
			}
		}
		c.locales[lang.Code] = &Locale{Code: lang.Code, Tag: lang.Tag, cat: c,
			loc: i18n.NewLocalizer(c.bundle, lang.Tag.String())}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Locale returns the locale of a language code; unknown codes get English.
func (c *Catalog) Locale(code string) *Locale {
	if l, ok := c.locales[code]; ok {
		return l
	}
	return c.locales[languages[0].Code]
}

// For returns the reader's locale: the one chosen with the switch (a
// cookie), else the best match of the browser's Accept-Language.
func (c *Catalog) For(r *http.Request) *Locale {
	if ck, err := r.Cookie(LangCookie); err == nil {
		if l, ok := c.locales[ck.Value]; ok {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := c.matcher.Match(tags...)
	return c.locales[languages[i].Code]
}

// IDs returns the message ids of a language, for the completeness test.
func (c *Catalog) IDs(code string) []string { return slices.Clone(c.ids[code]) }

// Missing returns the messages asked for that a language lacks.
func (c *Catalog) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.missing))
	for k := range c.missing {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Locale renders messages, dates and money in one language.
type Locale struct {
	Code string
	Tag  language.Tag
	cat  *Catalog
	loc  *i18n.Localizer
}

// T returns message id with its arguments given as name, value pairs; a
// "Count" argument chooses the plural form. A missing message shows its id
// (and is noted for the tests) rather than failing the page.
func (l *Locale) T(id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			v := args[i+1]
			switch x := v.(type) { // templates hold optional values as pointers
			case *int:
				if x != nil {
					v = *x
				}
			case *string:
				if x != nil {
					v = *x
				}
			}
			data[k] = v
			if k == "Count" {
				cfg.PluralCount = v
			}
		}
		cfg.TemplateData = data
	}
	s, tag, err := l.loc.LocalizeWithTag(cfg)
	if err != nil || tag != l.Tag {
		l.cat.mu.Lock()
		l.cat.missing[l.Code+":"+id] = true
		l.cat.mu.Unlock()
		if err != nil {
			return id
		}
	}
	return s
}

// HTMLLang is the page's lang attribute.
func (l *Locale) HTMLLang() string {
	if l.Code == "zh" {
		return "zh-Hans"
	}
	return l.Code
}

// Others are the languages the switch offers.
func (l *Locale) Others() []Lang {
	var out []Lang
	for _, lang := range languages {
		if lang.Code != l.Code {
			out = append(out, Lang{Code: lang.Code, Name: lang.Name})
		}
	}
	return out
}

// Lang is a language the reader may switch to.
type Lang struct{ Code, Name string }

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date formats a calendar date the reader's way: 24 Nov 2026, 2026年11月24日.
func (l *Locale) Date(d date.Date) string {
	if d.IsZero() {
		return "—"
	}
	y, m, day := d.Civil()
	if l.Code == "zh" {
		return fmt.Sprintf("%d年%d月%d日", y, int(m), day)
	}
	return fmt.Sprintf("%d %s %d", day, monthsEN[m-1], y)
}

// Time formats an instant in UTC, to the minute.
func (l *Locale) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if l.Code == "zh" {
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d UTC", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d %s %d, %02d:%02d UTC", t.Day(), monthsEN[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// currencySymbols are the symbols readers know; other currencies show their
// ISO code.
var currencySymbols = map[string][2]string{ // en, zh
	"EUR": {"€", "€"}, "USD": {"US$", "US$"}, "GBP": {"£", "£"}, "CNY": {"CN¥", "¥"}, "JPY": {"JP¥", "JP¥"},
}

// Money formats an amount with the currency's symbol before it: €30.00.
func (l *Locale) Money(m aftersale.Money) string {
	if m.Currency == "" {
		return "—"
	}
	num, _, _ := strings.Cut(m.String(), " ")
	sym, ok := currencySymbols[m.Currency]
	if !ok {
		return num + " " + m.Currency
	}
	s := sym[0]
	if l.Code == "zh" {
		s = sym[1]
	}
	if neg, ok := strings.CutPrefix(num, "-"); ok {
		return "-" + s + neg
	}
	return s + num
}

// DateISO formats a date: a date.Date (zero: a dash), or one given as
// YYYY-MM-DD or a pointer to such a string; anything else shows as is.
func (l *Locale) DateISO(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case *string:
		if x == nil {
			return "—"
		}
		s = *x
	case date.Date:
		if x.IsZero() {
			return "—"
		}
		return l.Date(x)
	default:
		return fmt.Sprint(v)
	}
	d, err := date.Parse(s)
	if err != nil {
		return s
	}
	return l.Date(d)
}

// TOr returns message id, or fallback where the language has none: for
// names that come from the seller's data (a policy's own categories), which
// the messages cannot all know.
func (l *Locale) TOr(id, fallback string) string {
	s, tag, err := l.loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id})
	if err != nil || tag != l.Tag {
		return fallback
	}
	return s
}
