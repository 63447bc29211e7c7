package demo

import "github.com/aftersale/aftersale"

// item is a catalog entry: the product and its list price in euro cents.
type item struct {
	p     aftersale.Product
	price int64
}

func months(n int) *int { return &n }

func kit(sku, name string, comps ...aftersale.KitComponent) aftersale.Product {
	return aftersale.Product{SKU: sku, Name: name, Category: "other", Components: comps}
}

func c(sku string, qty int) aftersale.KitComponent {
	return aftersale.KitComponent{SKU: sku, Quantity: qty}
}

// catalog is a robotics shop's range: parts in every category of the
// policy, and robot kits whose bills of materials hold them. Kits come
// after their components (a nested kit before the kit holding it).
func catalog() []item {
	p := func(sku, name, cat string, price int64) item {
		return item{p: aftersale.Product{SKU: sku, Name: name, Category: aftersale.Category(cat)}, price: price}
	}
	items := []item{
		p("SV-LD20MG", "LD-20MG 20 kg digital servo", "servo_motor", 1890),
		p("SV-MG996R", "MG996R metal gear servo", "servo_motor", 690),
		p("SV-RDS3115", "RDS3115 dual-shaft servo", "servo_motor", 1490),
		p("SV-SG90", "SG90 micro servo", "servo_motor", 290),
		p("SV-LX16A", "LX-16A serial bus servo", "servo_motor", 1990),
		p("MOT-DC-TT", "TT gear motor 1:48", "servo_motor", 250),
		p("MOT-STEP-42", "NEMA 17 stepper motor", "servo_motor", 1290),
		p("EM-CTRL-32", "32-channel servo controller", "electronic_module", 2490),
		p("EM-ESP32", "ESP32 development board", "electronic_module", 990),
		p("EM-UNO", "UNO R3 controller board", "electronic_module", 1990),
		p("EM-BT-05", "Bluetooth 5 serial module", "electronic_module", 690),
		p("EM-USONIC", "Ultrasonic distance sensor", "electronic_module", 350),
		p("EM-IMU-6", "6-axis IMU module", "electronic_module", 490),
		p("EM-CAM-2MP", "2 MP camera module", "electronic_module", 1590),
		p("PM-BUCK-5V", "5 V 5 A step-down module", "power_module", 890),
		p("PM-PDB", "Power distribution board", "power_module", 590),
		p("PM-CHG-2S", "2S LiPo balance charger", "power_module", 1990),
		p("BAT-LIPO-2S", "7.4 V 2200 mAh LiPo battery", "battery", 1890),
		p("BAT-18650-2", "18650 battery pack, 2 cells", "battery", 1290),
		p("MP-BRACKET-U", "U-shaped servo bracket", "mechanical_part", 190),
		p("MP-HORN-25T", "Aluminium servo horn 25T", "mechanical_part", 150),
		p("MP-CHASSIS-4WD", "Aluminium 4WD chassis", "mechanical_part", 2990),
		p("MP-WHEEL-65", "65 mm rubber wheel", "mechanical_part", 220),
		p("MP-GRIPPER", "Mechanical claw", "mechanical_part", 1190),
		p("CS-SCREW-M3", "M3 screw assortment, 100 pieces", "consumable", 490),
		p("CS-CABLE-DUP", "Dupont jumper cables, 40 pieces", "consumable", 290),
		p("CS-CABLE-EXT", "Servo extension cable 30 cm", "consumable", 90),
		p("CS-ZIPTIE", "Cable ties, 100 pieces", "consumable", 190),
		p("PK-BOX-KIT", "Kit box with foam inlay", "packaging", 350),
		p("GF-STICKERS", "Sticker sheet", "gift", 0),
		p("GF-DRIVER", "Mini screwdriver", "gift", 0),
		p("OT-TOOLKIT", "Robot builder tool kit", "other", 2490),
		{p: kit("KIT-GRIPPER", "Gripper add-on kit", c("SV-MG996R", 1), c("MP-GRIPPER", 1), c("CS-SCREW-M3", 1)), price: 2290},
		{p: kit("KIT-HUMANOID-17", "17-DOF humanoid robot kit", c("SV-LD20MG", 17), c("EM-CTRL-32", 1), c("PM-BUCK-5V", 1),
			c("BAT-LIPO-2S", 1), c("MP-BRACKET-U", 17), c("MP-HORN-25T", 17), c("CS-SCREW-M3", 2), c("CS-CABLE-EXT", 6),
			c("PK-BOX-KIT", 1), c("GF-STICKERS", 1)), price: 49900},
		{p: kit("KIT-ARM-6", "6-DOF robot arm kit", c("SV-MG996R", 5), c("KIT-GRIPPER", 1), c("EM-CTRL-32", 1), c("PM-BUCK-5V", 1),
			c("MP-BRACKET-U", 6), c("CS-SCREW-M3", 1), c("CS-CABLE-EXT", 3), c("PK-BOX-KIT", 1)), price: 15900},
		{p: kit("KIT-CAR-4WD", "4WD smart car kit", c("MOT-DC-TT", 4), c("EM-UNO", 1), c("EM-USONIC", 1), c("EM-BT-05", 1),
			c("BAT-18650-2", 1), c("MP-CHASSIS-4WD", 1), c("MP-WHEEL-65", 4), c("CS-SCREW-M3", 1), c("CS-CABLE-DUP", 1),
			c("PK-BOX-KIT", 1), c("GF-DRIVER", 1)), price: 8900},
		{p: kit("KIT-HEXAPOD-18", "18-DOF hexapod kit", c("SV-LX16A", 18), c("EM-ESP32", 1), c("EM-IMU-6", 1), c("PM-PDB", 1),
			c("BAT-LIPO-2S", 1), c("CS-SCREW-M3", 2), c("CS-CABLE-EXT", 6), c("PK-BOX-KIT", 1)), price: 59900},
		{p: kit("KIT-SPIDER-MINI", "Mini spider robot kit", c("SV-SG90", 12), c("EM-ESP32", 1), c("BAT-18650-2", 1),
			c("CS-SCREW-M3", 1), c("CS-CABLE-DUP", 1), c("PK-BOX-KIT", 1), c("GF-STICKERS", 1)), price: 7900},
	}
	for i := range items {
		switch items[i].p.SKU {
		case "SV-MG996R":
			items[i].p.Successors, items[i].p.Discontinued = []string{"SV-RDS3115"}, true
		case "EM-CTRL-32":
			items[i].p.WarrantyMonths = months(24) // the maker's own warranty (2.N1)
		case "EM-UNO":
			items[i].p.Successors = []string{"EM-ESP32"}
		}
	}
	return items
}

// serialised reports whether articles of a category carry serial numbers.
func serialised(cat aftersale.Category) bool {
	return cat == "servo_motor" || cat == "electronic_module" || cat == "power_module"
}

// distributors are the resellers: authorised ones with contracts, and one
// unauthorised shop.
func distributors() []aftersale.Distributor {
	d := func(code, name, country string, ret, repl *int) aftersale.Distributor {
		return aftersale.Distributor{Code: code, Name: name, Authorised: true, Email: "service@" + country + ".example",
			Phone: "+00 " + country, ReturnWindowDays: ret, ReplacementWindowDays: repl}
	}
	return []aftersale.Distributor{
		d("DIST-DE", "Robotik Handel GmbH", "de", months(14), months(30)),
		d("DIST-FR", "Robots & Cie", "fr", nil, nil),
		d("DIST-US", "BotSupply Inc.", "us", months(30), nil),
		d("DIST-UK", "Servo Shop Ltd", "uk", nil, months(14)),
		d("DIST-JP", "ロボット商会", "jp", nil, nil),
		d("DIST-CN", "深圳机器人科技", "cn", nil, nil),
		{Code: "SHOP-GREY", Name: "Cheap Bots Online", Authorised: false},
	}
}

// country is where customers live: their language, currency and the
// distributor that serves them.
type country struct {
	code, language, currency, distributor string
	permille                              int64 // price per euro, in thousandths
	names                                 []string
}

var countries = []country{
	{"DE", "de", "EUR", "DIST-DE", 1000, []string{"Anna Müller", "Lukas Schmidt", "Mia Weber", "Jonas Fischer"}},
	{"FR", "fr", "EUR", "DIST-FR", 1000, []string{"Léa Martin", "Hugo Bernard", "Chloé Dubois", "Louis Moreau"}},
	{"US", "en", "USD", "DIST-US", 1100, []string{"Emma Johnson", "Liam Smith", "Olivia Brown", "Noah Davis"}},
	{"GB", "en", "GBP", "DIST-UK", 850, []string{"Amelia Jones", "Oliver Taylor", "Isla Wilson", "Harry Evans"}},
	{"JP", "ja", "JPY", "DIST-JP", 1600, []string{"佐藤 陽翔", "鈴木 結菜", "高橋 蓮", "田中 葵"}},
	{"CN", "zh", "CNY", "DIST-CN", 7800, []string{"王伟", "李娜", "张敏", "刘洋"}},
	{"ES", "es", "EUR", "", 1000, []string{"Lucía García", "Hugo Fernández", "Sofía López", "Martín Díaz"}},
}
