package workflow

import (
	"fmt"

	"github.com/aftersale/aftersale"
)

// Limits of the free texts the use cases store, in bytes.
const (
	maxKeyText  = 200    // serials, SKUs, order and claim numbers, references
	maxNoteText = 10_000 // descriptions, notes, messages, reasons
)

// checkTexts applies aftersale.CheckText to each field and text pair, in
// order, and returns the first refusal.
func checkTexts(maxLen int, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := aftersale.CheckText(pairs[i], pairs[i+1], maxLen); err != nil {
			return err
		}
	}
	return nil
}

// checkNumber refuses a claim number no claim can have (not UTF-8, a NUL)
// before it reaches the store, where PostgreSQL would fail on it.
func checkNumber(number string) error { return aftersale.CheckText("number", number, maxKeyText) }

// validate refuses the texts of a step the store could not keep.
func (in *ActInput) validate() error {
	if err := checkTexts(maxNoteText, "note", in.Note, "exception_reason", in.ExceptionReason); err != nil {
		return err
	}
	if err := checkTexts(maxKeyText, "action", string(in.Action), "remedy", in.Remedy, "resolution", string(in.Resolution)); err != nil {
		return err
	}
	for i, f := range in.Findings {
		field := fmt.Sprintf("findings[%d]", i)
		if err := checkTexts(maxKeyText, field+".cause", f.Cause); err != nil {
			return err
		}
		if err := checkTexts(maxNoteText, field+".notes", f.Notes); err != nil {
			return err
		}
	}
	if q := in.Quote; q != nil {
		for i, l := range q.Lines {
			field := fmt.Sprintf("quote.lines[%d]", i)
			if err := checkTexts(maxKeyText, field+".kind", l.Kind, field+".currency", l.Amount.Currency); err != nil {
				return err
			}
			if err := checkTexts(maxNoteText, field+".description", l.Description); err != nil {
				return err
			}
		}
	}
	return nil
}

// validate refuses the texts of a parcel the store could not keep.
func (in ShipmentInput) validate() error {
	if err := checkTexts(maxKeyText, "direction", string(in.Direction), "carrier", in.Carrier,
		"tracking_number", in.TrackingNumber, "paid_by", in.PaidBy); err != nil {
		return err
	}
	return checkTexts(maxNoteText, "override_reason", in.OverrideReason)
}

// validate refuses the texts of a replacement unit the store could not
// keep.
func (in ReplacementInput) validate() error {
	return checkTexts(maxKeyText, "serial", in.Serial, "sku", in.SKU, "kind", string(in.Kind))
}
