package policy

import "errors"

// CheckFacts checks facts read from a request against the policy: on top of
// the reading's own errors (given, nil when there were none), it names
// unknown categories, SKUs and distributors and dates out of order, all in
// one *InputError. lookup, when not nil, completes the facts from a
// registry (a serial's product and sale) before they are checked; its
// *InputError joins the others and any other error is returned as is.
func (p *Policy) CheckFacts(f *Facts, given *InputError, lookup func(*Facts) error) error {
	ie := given
	if ie == nil {
		ie = &InputError{}
	} else if len(ie.Errors) > 0 && ie.Errors[0].Field == "" { // not an object: nothing more to say
		return ie
	}
	if lookup == nil && f.Serial != "" {
		ie.add("serial", "cannot be looked up: no registry is open (start aftersale with a database)")
	}
	if lookup != nil && len(ie.Errors) == 0 {
		if err := lookup(f); err != nil {
			var more *InputError
			if !errors.As(err, &more) {
				return err
			}
			ie.Errors = append(ie.Errors, more.Errors...)
		}
	}
	bad := make(map[string]bool, len(ie.Errors))
	for _, fe := range ie.Errors {
		bad[fe.Field] = true
	}
	more := func(err error) {
		var more *InputError
		if errors.As(err, &more) {
			for _, fe := range more.Errors {
				if !bad[fe.Field] {
					ie.Errors = append(ie.Errors, fe)
					bad[fe.Field] = true
				}
			}
		}
	}
	more(checkFacts(f))
	if !bad["purchased_on"] {
		// Deciding names what only the policy knows: unknown categories,
		// SKUs and distributors, dates out of order or past the calendar.
		_, err := p.Decide(f)
		more(err)
	}
	if len(ie.Errors) > 0 {
		return ie
	}
	return nil
}
