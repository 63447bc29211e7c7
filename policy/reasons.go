package policy

import (
	"fmt"

	"github.com/aftersale/aftersale/date"
)

// Reason is one step of a decision's explanation, kept as data so that
// deciding does not allocate and the words can be rendered in any language.
type Reason struct {
	Code  ReasonCode
	Dates [3]date.Date // meaning depends on Code: usually start, deadline, reported
	N     int          // days or months
	Flag  bool         // meaning depends on Code: usually "in time"
	// Original: for ReasonReshipped, the unit had a warranty period of its
	// own before it was reshipped.
	Original bool
	Cause    Cause
	Clause   clauseRef
	Remedy   Remedy
	Start    StartKind
}

// ReasonCode says which explanation a Reason is.
type ReasonCode uint8

// The explanations a decision gives.
const (
	ReasonUnauthorizedReseller ReasonCode = iota + 1
	ReasonPaidService                     // Flag: paid repair is offered too
	ReasonShipping                        // N: situation; Flag: seller pays; Remedy: what is shipped (see shipped)
	ReasonReferToDistributor              // Flag: a return
	ReasonHeadquarters                    // Flag: staff applies
	ReasonDistributorContract
	ReasonNeedProof
	ReasonNeedDelivery        // N: days; Flag: missing parts, else damage
	ReasonReturnInTime        // purchased, deadline, reported; Flag: inspected resellable
	ReasonReturnLate          // purchased, deadline, reported
	ReasonReturnNotResellable //
	ReasonExcluded            // Cause, Clause
	ReasonOnArrivalInTime     // from, deadline, reported; Remedy; Flag: counted from the purchase
	ReasonOnArrivalLate       // delivered, deadline, reported; Remedy
	ReasonPeriod              // start, end, reported; N: months; Flag: within; Start
	ReasonReplacement         // start, deadline, reported; N: days; Start
	ReasonFreeRepair
	ReasonReshipped     // reshipped, cover end, reported; N: months; Flag: covered; Original
	ReasonNoWarranty    // start, deadline, reported; N: days; Flag: in time; Start
	ReasonCategoryNote  // the category's note
	ReasonAnswerBy      // respond by; N: days
	ReasonNotReturnable // a change of mind of a category not returnable on its own (I-11)
	ReasonReplacePart   // a reshipped unit without a warranty period: its defective part is replaced (5.5)
)

// StartKind says which date started the warranty.
type StartKind uint8

// The start dates of a warranty (docs/policy-reading.md I-2).
const (
	StartedOnDelivery StartKind = iota
	StartedOnPurchaseNoDelivery
	StartedOnPurchase
)

const maxReasons = 8

// ReasonTexts renders the reasons in English, in words a customer understands.
func (d *Decision) ReasonTexts() []string {
	out := make([]string, 0, d.nReasons)
	for _, r := range d.Reasons() {
		out = append(out, d.english(r))
	}
	return out
}

// ReasonText is reason r of the decision in English, as the contract gives it.
func (d *Decision) ReasonText(r Reason) string { return d.english(r) }

func day(d date.Date) string { return d.Format("2 Jan 2006") }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (d *Decision) english(r Reason) string {
	noun := d.Category.Noun
	from, until, reported := r.Dates[0], r.Dates[1], r.Dates[2]
	switch r.Code {
	case ReasonUnauthorizedReseller:
		return "Products resold by unauthorised resellers have no warranty and cannot be returned."
	case ReasonPaidService:
		if r.Flag {
			return "We can repair it at your cost (parts, labour, freight and customs) once we have looked at it, and give technical support."
		}
		return "We can give technical support; we offer no repair of this product, free or paid."
	case ReasonShipping:
		switch {
		case r.Flag && r.Remedy == RemedyShipMissingParts:
			return "We pay the shipping of the missing parts to you."
		case r.Flag && r.Remedy == RemedyTechnicalSupport:
			return "We pay any shipping."
		case r.Flag:
			return "We pay the shipping both ways."
		case r.N == shipChangeOfMind:
			return "As this is not a product quality problem, you pay the shipping."
		case r.N == shipExcluded && r.Remedy == RemedyPaidRepair:
			return "As the damage is not a product quality problem, you pay the shipping and any repair."
		case r.N == shipExcluded:
			return "As the damage is not a product quality problem, you pay any shipping."
		case r.Remedy == RemedyPaidRepair:
			return "You pay the shipping both ways and any repair costs."
		case r.Remedy == RemedyTechnicalSupport:
			return "You pay any shipping."
		case r.Remedy == RemedyShipMissingParts:
			return "You pay the shipping of the missing parts to you."
		}
		return "You pay the shipping both ways."
	case ReasonReferToDistributor:
		if r.Flag {
			return "You bought it from an authorised distributor, who took your payment: please ask the distributor for the return and refund."
		}
		return "You bought it from an authorised distributor: please contact the distributor's customer service first. If you cannot reach them, tell us and our headquarters will take it on."
	case ReasonHeadquarters:
		if r.Flag {
			return "Our headquarters handles this request for a distributor's customer."
		}
		return "As your distributor cannot be reached, our headquarters handles your request."
	case ReasonDistributorContract:
		return "As the distributor, your refunds and replacements follow your distribution contract with us."
	case ReasonNeedProof:
		return "Please send your receipt, invoice or order record: we need proof of purchase before we can decide."
	case ReasonNeedDelivery:
		what := "Damage found on receiving"
		if r.Flag {
			what = "Missing parts"
		}
		return fmt.Sprintf("Please tell us the day you signed for the parcel: %s must be reported within %s of it.",
			lowerFirst(what), plural(r.N, "day", "days"))
	case ReasonReturnInTime:
		s := fmt.Sprintf("You can return or exchange it within %s of buying it on %s, until %s; you asked on %s, in time.",
			plural(r.N, "day", "days"), day(from), day(until), day(reported))
		if r.Flag {
			return s + " The inspection found it in the condition you received it, fit to be sold again."
		}
		return s + " It must come back in the condition you received it, in its original box or fit to be sold again; we check that when it arrives."
	case ReasonReturnLate:
		return fmt.Sprintf("Returns and exchanges are accepted within %s of buying, until %s for your purchase on %s; you asked on %s, %s late.",
			plural(r.N, "day", "days"), day(until), day(from), day(reported), plural(until.DaysUntil(reported), "day", "days"))
	case ReasonReturnNotResellable:
		return "The inspection found the returned item neither in the condition you received it nor fit to be sold again, so it cannot be taken back."
	case ReasonExcluded:
		return fmt.Sprintf("The inspection found %s, which the warranty does not cover.", causePhrases[r.Cause])
	case ReasonOnArrivalInTime:
		what, offer := "Damage found on receiving", "we replace it free once we confirm the damage"
		if r.Remedy == RemedyShipMissingParts {
			what, offer = "Missing parts", "we ship the missing parts free once we confirm them"
		}
		if r.Flag {
			return fmt.Sprintf("You reported it on %s, within %s of buying it on %s, so within %s of its delivery too: %s.",
				day(reported), plural(r.N, "day", "days"), day(from), plural(r.N, "day", "days"), offer)
		}
		return fmt.Sprintf("%s must be reported within %s of signing for the parcel on %s, until %s; you reported it on %s, in time: %s.",
			what, plural(r.N, "day", "days"), day(from), day(until), day(reported), offer)
	case ReasonOnArrivalLate:
		what := "Damage found on receiving"
		if r.Remedy == RemedyShipMissingParts {
			what = "Missing parts"
		}
		return fmt.Sprintf("%s must be reported within %s of signing for the parcel on %s, until %s; you reported it on %s, %s late.",
			what, plural(r.N, "day", "days"), day(from), day(until), day(reported), plural(until.DaysUntil(reported), "day", "days"))
	case ReasonPeriod:
		within := "within it"
		if !r.Flag {
			within = "after it ended"
		}
		return fmt.Sprintf("Your %s's %d-month warranty runs from %s%s to %s; you reported the fault on %s, %s.",
			noun, r.N, day(from), startPhrase(r.Start), day(until), day(reported), within)
	case ReasonReplacement:
		return fmt.Sprintf("You reported the fault within %s of %s%s, until %s: we replace it free with the same or an equivalent later product once we confirm the defect.",
			plural(r.N, "day", "days"), day(from), startPhrase(r.Start), day(until))
	case ReasonFreeRepair:
		return "We repair or replace the defective components free once we confirm the fault."
	case ReasonReshipped:
		covered := "within it"
		if !r.Flag {
			covered = "after it ended"
		}
		rule := plural(r.N, "month", "months") + " after shipping"
		if r.Original {
			rule += " or the rest of the original warranty if longer"
		}
		return fmt.Sprintf("This unit was repaired or replaced and shipped to you on %s: it is covered until %s, %s; you reported the fault on %s, %s.",
			day(from), day(until), rule, day(reported), covered)
	case ReasonNoWarranty:
		s := fmt.Sprintf("This %s has no limited warranty: a defective part is replaced free when reported within %s of %s%s, until %s; you reported it on %s",
			noun, plural(r.N, "day", "days"), day(from), startPhrase(r.Start), day(until), day(reported))
		if r.Flag {
			return s + ", in time: we replace the defective part once we confirm it."
		}
		return s + ", too late for a free part."
	case ReasonCategoryNote:
		return d.Category.Note
	case ReasonAnswerBy:
		return fmt.Sprintf("We answer within %s, by %s.", plural(r.N, "day", "days"), day(from))
	case ReasonNotReturnable:
		return fmt.Sprintf("This %s cannot be returned or exchanged on its own: a change-of-mind return or exchange takes back a product you bought.", noun)
	case ReasonReplacePart:
		return "We replace the defective part free once we confirm the fault."
	}
	return ""
}

func startPhrase(k StartKind) string {
	switch k {
	case StartedOnDelivery:
		return " (the day you received it)"
	case StartedOnPurchaseNoDelivery:
		return " (the purchase date, as the delivery date is not known)"
	}
	return " (the purchase date)"
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

var causePhrases = [...]string{
	CauseEnvironment:              "damage from an operating environment out of standard, such as over-voltage, lightning or extreme humidity",
	CauseExternalEvent:            "damage from an external event such as fire or an earthquake",
	CauseMisuse:                   "damage from an accident or misuse, such as liquid, abuse, oxidation or rust",
	CauseNotFollowingInstructions: "damage from not following the product's instructions",
	CauseUnauthorizedModification: "an unauthorised modification, disassembly or assembly",
	CauseReturnShippingDamage:     "damage in transport on the way back to us",
	CauseNotQualityRelated:        "a cause that is not a design, manufacturing or quality problem",
}
