package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/importer"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/workflow"
)

// Store generates the data set into db, in one transaction.
func Store(ctx context.Context, db *store.DB, o Options) (Stats, error) {
	var st Stats
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		st, err = Generate(ctx, o, txSink{tx})
		return err
	})
	return st, err
}

type txSink struct{ tx *store.Tx }

func (s txSink) Products(ctx context.Context, ps []aftersale.Product) error {
	return s.tx.UpsertProducts(ctx, ps)
}
func (s txSink) Distributors(ctx context.Context, ds []aftersale.Distributor) error {
	return s.tx.UpsertDistributors(ctx, ds)
}
func (s txSink) Customers(ctx context.Context, cs []aftersale.Customer) error {
	return s.tx.UpsertCustomers(ctx, cs)
}
func (s txSink) Orders(ctx context.Context, os []aftersale.Order) error {
	return s.tx.UpsertOrders(ctx, os)
}
func (s txSink) Deliveries(ctx context.Context, ds []aftersale.Delivery) error {
	return s.tx.UpsertDeliveries(ctx, ds)
}

// Files are the CSV files WriteCSV writes, in import order, with the kind
// each holds.
var Files = []struct {
	Name string
	Kind importer.Kind
}{
	{"products.csv", importer.Products},
	{"kits.csv", importer.Kits},
	{"distributors.csv", importer.Distributors},
	{"customers.csv", importer.Customers},
	{"orders.csv", importer.Orders},
	{"deliveries.csv", importer.Deliveries},
}

// WriteCSV generates the data set as the CSV files `aftersale import`
// reads, in dir (created if needed).
func WriteCSV(ctx context.Context, dir string, o Options) (st Stats, err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return st, fmt.Errorf("demo: %w", err)
	}
	s := csvSink{w: map[importer.Kind]*importer.Writer{}}
	defer func() {
		for _, f := range s.files {
			err = errors.Join(err, f.Close())
		}
	}()
	for _, f := range Files {
		file, err := os.Create(filepath.Join(dir, f.Name))
		if err != nil {
			return st, fmt.Errorf("demo: %w", err)
		}
		s.files = append(s.files, file)
		if s.w[f.Kind], err = importer.NewWriter(file, f.Kind); err != nil {
			return st, err
		}
	}
	if st, err = Generate(ctx, o, s); err != nil {
		return st, err
	}
	for _, f := range Files {
		if err := s.w[f.Kind].Flush(); err != nil {
			return st, err
		}
	}
	return st, nil
}

type csvSink struct {
	files []*os.File
	w     map[importer.Kind]*importer.Writer
}

func (s csvSink) Products(_ context.Context, ps []aftersale.Product) error {
	for _, p := range ps {
		if err := s.w[importer.Products].Product(p); err != nil {
			return err
		}
		if err := s.w[importer.Kits].Product(p); err != nil {
			return err
		}
	}
	return nil
}

func (s csvSink) Distributors(_ context.Context, ds []aftersale.Distributor) error {
	for _, d := range ds {
		if err := s.w[importer.Distributors].Distributor(d); err != nil {
			return err
		}
	}
	return nil
}

func (s csvSink) Customers(_ context.Context, cs []aftersale.Customer) error {
	for _, c := range cs {
		if err := s.w[importer.Customers].Customer(c); err != nil {
			return err
		}
	}
	return nil
}

func (s csvSink) Orders(_ context.Context, os []aftersale.Order) error {
	for _, o := range os {
		if err := s.w[importer.Orders].Order(o); err != nil {
			return err
		}
	}
	return nil
}

func (s csvSink) Deliveries(_ context.Context, ds []aftersale.Delivery) error {
	for _, d := range ds {
		if err := s.w[importer.Deliveries].Delivery(d); err != nil {
			return err
		}
	}
	return nil
}

// SampleLoader loads the data set into db as a new installation's sample
// (workflow.Setup), options from o at the time it runs, and names the
// sales it holds for a newcomer to try.
func SampleLoader(db *store.DB, o func() (Options, error)) workflow.SampleLoader {
	return func(ctx context.Context) (workflow.Sample, error) {
		opts, err := o()
		if err != nil {
			return workflow.Sample{}, err
		}
		st, err := Store(ctx, db, opts)
		ex := st.Example
		return workflow.Sample{Orders: st.Orders, Order: ex.Order, Email: ex.Email, Serial: ex.Serial,
			PurchasedOn: ex.PurchasedOn, DistributorOrder: ex.DistributorOrder, DistributorEmail: ex.DistributorEmail,
			Distributor: ex.Distributor}, err
	}
}
