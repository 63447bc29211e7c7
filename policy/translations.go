package policy

import (
	"slices"
	"strings"
)

// The languages reasons are rendered in, by the codes the pages use:
// English (the policy file's own language, and the fallback) and Simplified
// Chinese.
const (
	English = "en"
	Chinese = "zh"
)

// Languages returns the codes of the languages reasons are rendered in,
// English first.
func Languages() []string { return []string{English, Chinese} }

// translatedLanguages are the languages a policy file's translations block
// may give texts in: every language but English.
var translatedLanguages = []string{Chinese}

// Texts are a version's seller texts in a language other than English: its
// categories' names, nouns and notes, the phrases of the causes clause 4
// excludes, and the clauses' texts. Anything not given falls back to the
// English (for a cause, to the built-in phrase of that language).
type Texts struct {
	Categories map[string]CategoryText // by category key
	Clauses    map[string]string       // by clause id
	causes     [CauseNotQualityRelated + 1]string
}

// CategoryText is a category's words in one language.
type CategoryText struct {
	Name string // for tables
	Noun string // for reasons
	Note string // said with the category's clauses
}

// CategoryText returns category c's name, noun and note in lang, each falling
// back to the English where the policy file gives no translation.
func (v *Version) CategoryText(lang string, c *Category) CategoryText {
	if c == nil {
		return CategoryText{}
	}
	out := CategoryText{Name: c.Name, Noun: c.Noun, Note: c.Note}
	if t := v.textsIn(lang); t != nil {
		tr := t.Categories[c.Key]
		out.Name = or(tr.Name, out.Name)
		out.Noun = or(tr.Noun, out.Noun)
		out.Note = or(tr.Note, out.Note)
	}
	return out
}

// ClauseText returns the text of the clause with id in lang, falling back to
// the English; "" when the version has no such clause.
func (v *Version) ClauseText(lang, id string) string {
	r, ok := v.clauseByID[id]
	if !ok {
		return ""
	}
	if t := v.textsIn(lang); t != nil && t.Clauses[id] != "" {
		return t.Clauses[id]
	}
	return v.ClauseOf(r).Text
}

func (v *Version) textsIn(lang string) *Texts {
	if v == nil {
		return nil
	}
	return v.texts[lang]
}

func or(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// translations checks a version's translations block: known languages,
// categories, causes and clause ids, and no empty text.
func (c *compiler) translations(at path, m map[string]fileTranslation, v *Version) {
	for _, lang := range sortedKeys(m) {
		p := at.with(lang)
		if !slices.Contains(translatedLanguages, lang) {
			c.fail(p, "%q is not a language reasons are rendered in; the languages are %s", lang,
				strings.Join(translatedLanguages, ", "))
			continue
		}
		f, t := m[lang], &Texts{Categories: map[string]CategoryText{}, Clauses: map[string]string{}}
		for _, key := range sortedKeys(f.Categories) {
			cp, ct := p.with("categories", key), f.Categories[key]
			cat, ok := v.categories[key]
			if !ok {
				c.fail(cp, "%q is not a category of this version; the categories are %s", key, strings.Join(v.categoryKeys(), ", "))
				continue
			}
			for _, field := range []struct{ name, text string }{{"name", ct.Name}, {"noun", ct.Noun}, {"note", ct.Note}} {
				if field.text != "" && strings.TrimSpace(field.text) == "" {
					c.fail(cp.with(field.name), "is blank: leave it out to fall back to the English")
				}
			}
			if ct.Note != "" && cat.Note == "" {
				c.fail(cp.with("note"), "category %q has no note to translate", key)
			}
			t.Categories[key] = CategoryText{Name: strings.TrimSpace(ct.Name), Noun: strings.TrimSpace(ct.Noun),
				Note: strings.TrimSpace(ct.Note)}
		}
		for _, name := range sortedKeys(f.Causes) {
			cause, ok := indexOf(causeNames, name)
			if !ok || !slices.Contains(exclusionCauses, name) {
				c.fail(p.with("causes", name), "%q is not a cause; the causes are %s", name, strings.Join(exclusionCauses, ", "))
				continue
			}
			if strings.TrimSpace(f.Causes[name]) == "" {
				c.fail(p.with("causes", name), "is empty: leave it out to use the built-in phrase")
			}
			t.causes[cause] = strings.TrimSpace(f.Causes[name])
		}
		for _, id := range sortedKeys(f.Clauses) {
			if _, ok := v.clauseByID[id]; !ok {
				c.fail(p.with("clauses", id), "clause %q is not in this version's clauses", id)
				continue
			}
			if strings.TrimSpace(f.Clauses[id]) == "" {
				c.fail(p.with("clauses", id), "is empty: leave it out to fall back to the English")
			}
			t.Clauses[id] = strings.TrimSpace(f.Clauses[id])
		}
		if v.texts == nil {
			v.texts = map[string]*Texts{}
		}
		v.texts[lang] = t
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
