package notify

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/aftersale/aftersale"
)

// The templates are plain text: a mail client shows them as written, and
// nothing a customer typed can become markup.
var templates = template.Must(template.New("mail").Parse(`
{{define "opened"}}Hello,

we have received your claim {{.Number}} ({{.Request}}) and will answer by {{.RespondBy}}.

Follow it, answer our questions and send photos or documents here:

  {{.Link}}

This link is yours alone: anyone who has it can see and act on this claim. Keep
this e-mail; the link works for 180 days.
{{template "footer" .}}{{end}}
{{define "confirm"}}Hello,

we have received your claim {{.Number}} ({{.Request}}). Before our team takes
it up, please confirm that this e-mail address is yours: open this link and
press "Confirm" by {{.ConfirmBy}}:

  {{.ConfirmLink}}

We answer within {{.Days}} days of your confirmation. Without it the claim
expires and is not handled. If you did not open this claim, ignore this
e-mail.

Follow the claim, answer our questions and send photos or documents here:

  {{.Link}}

This link is yours alone: anyone who has it can see and act on this claim. Keep
this e-mail; the link works for 180 days.
{{template "footer" .}}{{end}}
{{define "info"}}Hello,

to go on with your claim {{.Number}} we need something from you:

{{.Note}}

Please answer through the link in our first e-mail about this claim.
{{template "footer" .}}{{end}}
{{define "status"}}Hello,

your claim {{.Number}} is now: {{.Status}}.
{{if .ReturnWaived}}
You need not send the item back.
{{end}}{{if .Note}}
{{.Note}}
{{end}}
You can follow it through the link in our first e-mail about this claim.
{{template "footer" .}}{{end}}
{{define "quote"}}Hello,

for your claim {{.Number}} we offer a paid repair:
{{range .Quote}}
  {{.}}{{end}}

  Total: {{.Total}}

Please accept or decline it through the link in our first e-mail about this claim.
{{template "footer" .}}{{end}}
{{define "footer"}}
-- 
After-sales service. This message was sent automatically; reply through
your claim's page, not to this e-mail.
{{end}}`))

// mailData is what every template reads.
type mailData struct {
	Number, Request, RespondBy, Link, Note, Status, Total string
	ConfirmLink, ConfirmBy                                string
	Days                                                  int
	Quote                                                 []string
	ReturnWaived                                          bool
}

func render(name string, d mailData) (string, error) {
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, name, d); err != nil {
		return "", fmt.Errorf("mail template %s: %w", name, err)
	}
	return strings.TrimLeft(b.String(), "\n"), nil
}

// ClaimOpened tells the customer the claim is filed, with its secret link.
func ClaimOpened(c aftersale.Claim, link, secret string) (Message, error) {
	body, err := render("opened", mailData{Number: c.Number, Request: strings.ReplaceAll(c.Request, "_", " "),
		RespondBy: c.RespondBy.String(), Link: link})
	return Message{To: c.CustomerEmail, Subject: "Your claim " + c.Number + " is received", Body: body, Secret: secret}, err
}

// ClaimToConfirm tells the customer the claim is filed and asks him to
// confirm his e-mail address through confirmLink (whose secret is
// confirmSecret) before the claim reaches the team; it carries the claim's
// secret link too. Both secrets are kept out of logs and of the stored
// copy once sent.
func ClaimToConfirm(c aftersale.Claim, link, secret, confirmLink, confirmSecret string) (Message, error) {
	days := c.ReportedOn.DaysUntil(c.RespondBy)
	body, err := render("confirm", mailData{Number: c.Number, Request: strings.ReplaceAll(c.Request, "_", " "),
		Link: link, ConfirmLink: confirmLink, ConfirmBy: c.ConfirmBy.UTC().Format("2006-01-02 15:04 MST"), Days: days})
	return Message{To: c.CustomerEmail, Subject: "Confirm your claim " + c.Number, Body: body,
		Secret: secret + " " + confirmSecret}, err
}

// InformationNeeded asks the customer for what staff need (request_info).
func InformationNeeded(c aftersale.Claim, note string) (Message, error) {
	body, err := render("info", mailData{Number: c.Number, Note: strings.TrimSpace(note)})
	return Message{To: c.CustomerEmail, Subject: "We need information for your claim " + c.Number, Body: body}, err
}

// StatusChanged tells the customer of a decision or a new status, with the
// note that explains it (the caller passes only a note the customer may
// read: aftersale.NoteShown), and that the item need not come back when a
// manager waived its return (the outcome, never the reason).
func StatusChanged(c aftersale.Claim, note string) (Message, error) {
	body, err := render("status", mailData{Number: c.Number, Status: describeStatus(c), Note: strings.TrimSpace(note),
		ReturnWaived: c.ReturnWaived && c.Status == aftersale.StatusResolved})
	return Message{To: c.CustomerEmail, Subject: "Your claim " + c.Number + ": " + describeStatus(c), Body: body}, err
}

// QuoteSent offers the customer a paid repair, line by line.
func QuoteSent(c aftersale.Claim) (Message, error) {
	d := mailData{Number: c.Number}
	if c.Quote != nil {
		for _, l := range c.Quote.Lines {
			d.Quote = append(d.Quote, fmt.Sprintf("%-12s %s  %s", l.Kind, l.Amount, l.Description))
		}
		d.Total = c.Quote.Total.String()
	}
	body, err := render("quote", d)
	return Message{To: c.CustomerEmail, Subject: "A quote for your claim " + c.Number, Body: body}, err
}

func describeStatus(c aftersale.Claim) string {
	switch c.Status {
	case aftersale.StatusApproved:
		return "approved (" + strings.ReplaceAll(c.ApprovedRemedy, "_", " ") + ")"
	case aftersale.StatusResolved:
		return "resolved (" + strings.ReplaceAll(string(c.Resolution), "_", " ") + ")"
	case aftersale.StatusReferred:
		return "referred to the seller's distributor"
	}
	return strings.ReplaceAll(string(c.Status), "_", " ")
}
