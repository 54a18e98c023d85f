//! One drawing function per schema of `schemas/`: values from the pools, optional
//! fields present or not, the forms that suit the record.

use super::pools as p;
use super::{Field, Form, Record, Rng, Val};
use Form::{Block, Email, Log, Prose, Terse};

/// The schema ids of one complexity, in a fixed order.
pub fn schema_ids(complexity: &str) -> &'static [&'static str] {
    match complexity {
        "simple" => &[
            "sensor_reading",
            "battery_status",
            "device_status",
            "door_event",
            "gps_fix",
            "log_line",
            "meter_reading",
            "alert",
        ],
        "medium" => &[
            "email_metadata",
            "lab_result",
            "maintenance_log",
            "network_device",
            "order",
            "support_ticket",
            "transaction",
            "weather_station",
        ],
        _ => &[
            "fleet_telemetry",
            "incident_report",
            "invoice",
            "iot_inventory",
            "medical_visit",
            "meeting_notes",
            "purchase_request",
            "shipment",
        ],
    }
}

fn f(key: &'static str, labels: &'static [&'static str], phrase: &'static str, value: Val) -> Field {
    Field { key, labels, phrase, value }
}

fn text(s: impl AsRef<str>) -> Val {
    Val::Text(s.as_ref().to_string())
}

fn num(t: String, unit: impl AsRef<str>) -> Val {
    Val::Num(t, unit.as_ref().to_string())
}

/// An enum value written in one of the casings text uses for it.
fn choice(rng: &mut Rng, values: &[&'static str]) -> Val {
    let v = *rng.pick(values);
    let written = match rng.below(3) {
        0 => v.to_uppercase(),
        1 => v[..1].to_uppercase() + &v[1..],
        _ => v.to_string(),
    };
    Val::Choice(v, written)
}

/// An optional field: present when `present` (drawn first, so the draw order is fixed).
fn keep(present: bool, field: Field) -> Option<Field> {
    present.then_some(field)
}

fn fields(items: Vec<Option<Field>>) -> Vec<Field> {
    items.into_iter().flatten().collect()
}

fn record(
    schema_id: &'static str,
    complexity: &'static str,
    titles: &'static [&'static str],
    forms: &'static [Form],
    fields: Vec<Field>,
) -> Record {
    Record { schema_id, complexity, titles, fields, forms, headers: false }
}

fn texts(rng: &mut Rng, pool: &[&'static str], lo: usize, hi: usize) -> Vec<Val> {
    rng.some(pool, lo, hi).into_iter().map(text).collect()
}

fn party(rng: &mut Rng) -> Val {
    Val::Obj(fields(vec![
        Some(f("name", &["Name", "Company", "Name"], "{}", text(rng.pick(p::COMPANIES)))),
        keep(rng.chance(0.6), f("address", &["Address", "Addr"], "{}", text(rng.pick(p::ADDRESSES)))),
        keep(
            rng.chance(0.5),
            f("vat_id", &["VAT ID", "VAT no", "Tax id", "VAT"], "VAT {}", text(rng.pick(p::VAT_IDS))),
        ),
    ]))
}

fn money(rng: &mut Rng, lo: f64, hi: f64) -> String {
    rng.dec(lo, hi, 2)
}

fn currency(rng: &mut Rng) -> Val {
    text(rng.pick(&["EUR", "USD", "GBP", "SEK"]))
}

/// Draws one record of `schema_id` (one of [`schema_ids`]).
pub fn draw(schema_id: &'static str, rng: &mut Rng) -> Record {
    let temp_units: &[&str] = &["°C", " °C", "C", " C"];
    match schema_id {
        "sensor_reading" => {
            let unit = *rng.pick(temp_units);
            record(
                "sensor_reading",
                "simple",
                &["Sensor reading", "Environment report", "Node report"],
                &[Block, Prose, Log, Terse],
                fields(vec![
                    keep(
                        rng.chance(0.7),
                        f("sensor_id", &["Sensor", "Node", "Sensor id", "id"], "from {}", text(rng.pick(p::SITES))),
                    ),
                    Some(f(
                        "temperature_c",
                        &["Temperature", "Temp", "T"],
                        "a temperature of {}",
                        num(rng.dec(-10.0, 38.0, 1), unit),
                    )),
                    keep(
                        rng.chance(0.7),
                        f(
                            "humidity_pct",
                            &["Humidity", "Relative humidity", "RH"],
                            "humidity at {}",
                            num(rng.int(15, 98).to_string(), "%"),
                        ),
                    ),
                    keep(rng.chance(0.5), f("time", &["Time", "Timestamp", "at"], "at {}", text(rng.pick(p::TIMES)))),
                ]),
            )
        }
        "battery_status" => record(
            "battery_status",
            "simple",
            &["Battery status", "Battery report", "Power"],
            &[Block, Prose, Log, Terse],
            fields(vec![
                keep(
                    rng.chance(0.7),
                    f("device", &["Device", "Unit", "dev"], "{} reports", text(rng.pick(p::DEVICES))),
                ),
                Some(f(
                    "charge_pct",
                    &["Charge", "State of charge", "Battery", "SoC"],
                    "battery at {}",
                    num(rng.int(3, 100).to_string(), "%"),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "voltage_v",
                        &["Voltage", "Battery voltage", "V"],
                        "{}",
                        num(rng.dec(3.3, 14.4, 2), rng.pick(&[" V", "V"])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f(
                        "charging",
                        &["Charging", "Charging", "chg"],
                        "charging|not charging",
                        Val::Bool(rng.chance(0.5)),
                    ),
                ),
            ]),
        ),
        "device_status" => record(
            "device_status",
            "simple",
            &["Device status", "Health check", "Status"],
            &[Block, Prose, Log, Terse],
            fields(vec![
                Some(f("device", &["Device", "Host", "dev"], "device {}", text(rng.pick(p::DEVICES)))),
                Some(f(
                    "state",
                    &["State", "Status", "st"],
                    "state {}",
                    choice(rng, &["online", "offline", "degraded"]),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "uptime_h",
                        &["Uptime", "Up", "up"],
                        "up for {}",
                        num(rng.int(1, 9000).to_string(), rng.pick(&[" h", " hours", "h"])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f(
                        "firmware",
                        &["Firmware", "FW version", "fw"],
                        "running firmware {}",
                        text(rng.pick(&["v2.4.1", "3.0.7", "v1.12", "2026.03", "v5.0.0-rc2"])),
                    ),
                ),
            ]),
        ),
        "door_event" => record(
            "door_event",
            "simple",
            &["Access event", "Door event", "Access control"],
            &[Block, Prose, Log],
            fields(vec![
                Some(f(
                    "door",
                    &["Door", "Entrance", "door"],
                    "door {}",
                    text(rng.pick(&[
                        "north-entrance",
                        "Lab 3 side door",
                        "loading-dock",
                        "server room",
                        "gate-2",
                        "roof hatch",
                    ])),
                )),
                Some(f(
                    "action",
                    &["Action", "Event", "act"],
                    "{}",
                    choice(rng, &["opened", "closed", "forced", "denied"]),
                )),
                keep(
                    rng.chance(0.7),
                    f(
                        "badge",
                        &["Badge", "Card", "User", "badge"],
                        "badge {}",
                        text(rng.pick(&["B-1042", "u.kowalski", "7781", "VIS-22", "C-0007"])),
                    ),
                ),
                keep(rng.chance(0.6), f("time", &["Time", "At", "t"], "at {}", text(rng.pick(p::TIMES)))),
            ]),
        ),
        "gps_fix" => record(
            "gps_fix",
            "simple",
            &["Tracker fix", "GPS fix", "Position"],
            &[Block, Prose, Log, Terse],
            fields(vec![
                Some(f("lat", &["Latitude", "Lat", "lat"], "latitude {}", num(rng.dec(-60.0, 70.0, 4), ""))),
                Some(f("lon", &["Longitude", "Lon", "lon"], "longitude {}", num(rng.dec(-120.0, 150.0, 4), ""))),
                keep(
                    rng.chance(0.6),
                    f(
                        "speed_kmh",
                        &["Speed", "Ground speed", "spd"],
                        "moving at {}",
                        num(rng.dec(0.0, 130.0, 1), rng.pick(&[" km/h", "km/h", " kmh"])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f(
                        "satellites",
                        &["Satellites", "Sats", "sat"],
                        "{} satellites in view",
                        num(rng.int(3, 14).to_string(), ""),
                    ),
                ),
            ]),
        ),
        "log_line" => record(
            "log_line",
            "simple",
            &["Log", "Service log", "Syslog"],
            &[Log, Log, Block, Prose],
            fields(vec![
                Some(f("level", &["Level", "Severity", "lvl"], "level {}", {
                    let v = *rng.pick(&["DEBUG", "INFO", "WARN", "ERROR"]);
                    Val::Choice(v, if rng.chance(0.3) { v.to_lowercase() } else { v.to_string() })
                })),
                keep(
                    rng.chance(0.7),
                    f("service", &["Service", "Process", "svc"], "in {}", text(rng.pick(p::SERVICES))),
                ),
                Some(f("message", &["Message", "Msg", "msg"], "message: {}", text(rng.pick(p::LOG_MESSAGES)))),
            ]),
        ),
        "meter_reading" => {
            let (kind, unit) =
                *rng.pick(&[("electricity", "kWh"), ("water", "m3"), ("gas", "m3"), ("electricity", "MWh")]);
            let written = if rng.chance(0.5) { kind.to_string() } else { kind[..1].to_uppercase() + &kind[1..] };
            record(
                "meter_reading",
                "simple",
                &["Meter reading", "Utility meter", "Reading"],
                &[Block, Prose, Log, Terse],
                fields(vec![
                    Some(f(
                        "meter_id",
                        &["Meter", "Meter number", "Meter no", "m"],
                        "meter {}",
                        text(rng.pick(&["EM-20931", "W-7781-A", "G4410", "MTR-0042", "E-5521"])),
                    )),
                    keep(rng.chance(0.6), f("kind", &["Kind", "Utility", "type"], "{}", Val::Choice(kind, written))),
                    Some(f("reading", &["Reading", "Value", "val"], "reading {}", num(rng.dec(10.0, 99999.0, 1), ""))),
                    keep(rng.chance(0.7), f("unit", &["Unit", "Units", "u"], "in {}", text(unit))),
                ]),
            )
        }
        "alert" => record(
            "alert",
            "simple",
            &["Alert", "Alarm", "Monitoring"],
            &[Block, Prose, Log],
            fields(vec![
                Some(f(
                    "severity",
                    &["Severity", "Level", "sev"],
                    "{} alert",
                    choice(rng, &["info", "warning", "critical"]),
                )),
                keep(
                    rng.chance(0.7),
                    f(
                        "source",
                        &["Source", "Raised by", "src"],
                        "from {}",
                        text(rng.pick(&[
                            "ups-rack4",
                            "nagios",
                            "disk-monitor",
                            "door-controller",
                            "hvac-unit-4",
                            "watchdog",
                        ])),
                    ),
                ),
                Some(f("message", &["Message", "Text", "msg"], "saying {}", text(rng.pick(p::LOG_MESSAGES)))),
            ]),
        ),
        "email_metadata" => {
            let mut r = record(
                "email_metadata",
                "medium",
                &["E-mail"],
                &[Email, Email, Prose],
                fields(vec![
                    Some(f("from", &["From", "Sender", "from"], "from {}", text(rng.pick(p::ADDRESSEES)))),
                    Some(f("to", &["To", "Recipients", "to"], "to {}", Val::List(texts(rng, p::ADDRESSEES, 1, 3)))),
                    keep(
                        rng.chance(0.4),
                        f("cc", &["Cc", "Copy", "cc"], "copying {}", Val::List(texts(rng, p::ADDRESSEES, 1, 2))),
                    ),
                    Some(f("subject", &["Subject", "Re", "subj"], "about \"{}\"", text(rng.pick(p::EMAIL_SUBJECTS)))),
                    keep(rng.chance(0.6), f("date", &["Date", "Sent", "date"], "sent {}", text(rng.pick(p::DATES)))),
                    keep(
                        rng.chance(0.5),
                        f(
                            "has_attachment",
                            &["Attachment", "att"],
                            "the file is attached|there is no attachment",
                            Val::Bool(rng.chance(0.5)),
                        ),
                    ),
                ]),
            );
            r.headers = true;
            r
        }
        "lab_result" => {
            let (test, unit, lo, hi) = *rng.pick(p::TESTS);
            let value = rng.dec(lo * 0.6, hi * 1.4, 1);
            let v: f64 = value.parse().unwrap_or(lo);
            let flag = if v < lo {
                "low"
            } else if v > hi {
                "high"
            } else {
                "normal"
            };
            let written = if rng.chance(0.5) { flag.to_uppercase() } else { flag.to_string() };
            let range = Val::Obj(vec![
                f("low", &["Low", "min"], "{}", num(format!("{lo}"), "")),
                f("high", &["High", "max"], "to {}", num(format!("{hi}"), "")),
            ]);
            record(
                "lab_result",
                "medium",
                &["Lab result", "Laboratory report", "Result"],
                &[Block, Prose, Log],
                fields(vec![
                    keep(
                        rng.chance(0.7),
                        f(
                            "patient_id",
                            &["Patient ID", "Patient", "pid"],
                            "for patient {}",
                            text(rng.pick(&["P-10234", "MRN 448201", "PT-0093", "77-4410"])),
                        ),
                    ),
                    Some(f("test", &["Test", "Analyte", "test"], "{}", text(test))),
                    Some(f("value", &["Result", "Value", "val"], "measured {}", num(value, ""))),
                    keep(rng.chance(0.7), f("unit", &["Unit", "Units", "unit"], "{}", text(unit))),
                    keep(
                        rng.chance(0.5),
                        f("reference_range", &["Reference range", "Ref range", "ref"], "reference {}", range),
                    ),
                    keep(
                        rng.chance(0.6),
                        f("flag", &["Flag", "Interpretation", "flag"], "flagged {}", Val::Choice(flag, written)),
                    ),
                ]),
            )
        }
        "maintenance_log" => record(
            "maintenance_log",
            "medium",
            &["Maintenance log", "Service visit", "Work order"],
            &[Block, Prose, Email],
            fields(vec![
                Some(f(
                    "asset",
                    &["Asset", "Machine", "asset"],
                    "on {}",
                    text(rng.pick(&["CNC-07", "Compressor C2", "conveyor-3", "AHU-12", "pump P-101"])),
                )),
                keep(
                    rng.chance(0.7),
                    f("technician", &["Technician", "Done by", "tech"], "by {}", text(rng.pick(p::PEOPLE))),
                ),
                keep(rng.chance(0.6), f("date", &["Date", "Visit date", "date"], "on {}", text(rng.pick(p::DATES)))),
                Some(f(
                    "tasks",
                    &["Tasks", "Work performed", "tasks"],
                    "work done: {}",
                    Val::List(texts(rng, p::TASKS, 1, 4)),
                )),
                keep(
                    rng.chance(0.6),
                    f("hours", &["Hours", "Labour hours", "hrs"], "taking {} hours", num(rng.dec(0.5, 8.0, 1), "")),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "next_due",
                        &["Next due", "Next service", "next"],
                        "next service due {}",
                        text(rng.pick(p::DATES)),
                    ),
                ),
            ]),
        ),
        "network_device" => record(
            "network_device",
            "medium",
            &["Network device", "Inventory entry", "Host"],
            &[Block, Prose, Log],
            fields(vec![
                Some(f("hostname", &["Hostname", "Host", "host"], "host {}", text(rng.pick(p::DEVICES)))),
                Some(f(
                    "ip",
                    &["IP address", "IP", "ip"],
                    "at {}",
                    text(format!("10.{}.{}.{}", rng.int(0, 40), rng.int(0, 254), rng.int(2, 254))),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "mac",
                        &["MAC", "MAC address", "mac"],
                        "MAC {}",
                        text(rng.pick(&[
                            "b8:27:eb:4f:10:a2",
                            "dc:a6:32:01:7e:55",
                            "00:1a:2b:3c:4d:5e",
                            "e4:5f:01:aa:bc:09",
                        ])),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "vendor",
                        &["Vendor", "Manufacturer", "vendor"],
                        "made by {}",
                        text(rng.pick(&["Raspberry Pi Ltd", "Siemens", "Ubiquiti", "Espressif", "Teltonika"])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f(
                        "open_ports",
                        &["Open ports", "Ports", "ports"],
                        "with ports {} open",
                        Val::List(
                            rng.some(&[22, 80, 443, 1883, 8883, 502, 8080], 1, 3)
                                .into_iter()
                                .map(|n: i64| num(n.to_string(), ""))
                                .collect(),
                        ),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "location",
                        &["Location", "Located", "loc"],
                        "located in {}",
                        Val::Obj(vec![
                            f(
                                "building",
                                &["Building", "bldg"],
                                "building {}",
                                text(rng.pick(&["B2", "HQ", "Plant 1", "Annex"])),
                            ),
                            f(
                                "room",
                                &["Room", "rm"],
                                "room {}",
                                text(rng.pick(&["101", "server room", "2.14", "basement"])),
                            ),
                        ]),
                    ),
                ),
            ]),
        ),
        "order" => {
            let items = (0..1 + rng.below(3))
                .map(|_| {
                    Val::Obj(vec![
                        f("sku", &["SKU", "Code", "sku"], "{}", text(rng.pick(p::SKUS))),
                        f("quantity", &["Quantity", "Qty", "qty"], "x {}", num(rng.int(1, 50).to_string(), "")),
                    ])
                })
                .collect();
            record(
                "order",
                "medium",
                &["Order", "Purchase order", "Order confirmation"],
                &[Block, Prose, Email],
                fields(vec![
                    Some(f(
                        "order_id",
                        &["Order", "Order number", "Order no", "order"],
                        "order {}",
                        text(format!("ORD-{}", rng.int(10000, 99999))),
                    )),
                    keep(
                        rng.chance(0.7),
                        f(
                            "customer",
                            &["Customer", "Ordered by", "cust"],
                            "placed by {}",
                            text(rng.pick(p::COMPANIES)),
                        ),
                    ),
                    Some(f("items", &["Items", "Lines", "items"], "items {}", Val::List(items))),
                    keep(
                        rng.chance(0.6),
                        f("total", &["Total", "Order total", "total"], "total {}", num(money(rng, 20.0, 4000.0), "")),
                    ),
                    keep(rng.chance(0.6), f("currency", &["Currency", "Cur", "cur"], "in {}", currency(rng))),
                ]),
            )
        }
        "support_ticket" => record(
            "support_ticket",
            "medium",
            &["Support ticket", "Ticket", "Helpdesk"],
            &[Block, Prose, Email],
            fields(vec![
                Some(f(
                    "ticket_id",
                    &["Ticket", "Ticket ID", "Ticket no", "id"],
                    "ticket {}",
                    text(format!("TCK-{}", rng.int(1000, 99999))),
                )),
                keep(
                    rng.chance(0.7),
                    f(
                        "priority",
                        &["Priority", "Urgency", "prio"],
                        "{} priority",
                        choice(rng, &["low", "medium", "high", "urgent"]),
                    ),
                ),
                keep(
                    rng.chance(0.7),
                    f(
                        "customer",
                        &["Customer", "Reported by", "cust"],
                        "from {}",
                        Val::Obj(fields(vec![
                            Some(f("name", &["Name", "name"], "{}", text(rng.pick(p::PEOPLE)))),
                            keep(
                                rng.chance(0.6),
                                f("email", &["Email", "E-mail", "mail"], "<{}>", text(rng.pick(p::ADDRESSEES))),
                            ),
                        ])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f("product", &["Product", "Device", "prod"], "about the {}", text(rng.pick(p::PRODUCTS))),
                ),
                Some(f(
                    "summary",
                    &["Summary", "Problem", "Issue", "desc"],
                    "problem: {}",
                    text(rng.pick(p::SUMMARIES)),
                )),
            ]),
        ),
        "transaction" => record(
            "transaction",
            "medium",
            &["Card transaction", "Payment notice", "Transaction"],
            &[Block, Prose, Log, Email],
            fields(vec![
                Some(f("amount", &["Amount", "Charged", "amt"], "{}", num(money(rng, 1.0, 900.0), ""))),
                keep(rng.chance(0.7), f("currency", &["Currency", "Cur", "cur"], "{}", currency(rng))),
                Some(f(
                    "merchant",
                    &["Merchant", "At", "merchant"],
                    "at {}",
                    text(rng.pick(&[
                        "Cafe Central",
                        "Shell Station 44",
                        "Amazon EU",
                        "City Parking",
                        "Lidl Graz",
                        "Hotel Aurora",
                    ])),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "card_last4",
                        &["Card ending", "Card", "card"],
                        "card ending {}",
                        text(format!("{:04}", rng.int(0, 9999))),
                    ),
                ),
                Some(f("status", &["Status", "Result", "st"], "{}", choice(rng, &["approved", "declined", "pending"]))),
                keep(rng.chance(0.6), f("time", &["Time", "Date", "t"], "on {}", text(rng.pick(p::TIMES)))),
            ]),
        ),
        "weather_station" => {
            let unit = *rng.pick(temp_units);
            let mut readings = fields(vec![
                keep(
                    rng.chance(0.8),
                    f("temperature_c", &["Temperature", "Air temp", "T"], "{}", num(rng.dec(-15.0, 35.0, 1), unit)),
                ),
                keep(
                    rng.chance(0.7),
                    f(
                        "wind_kmh",
                        &["Wind", "Wind speed", "W"],
                        "wind {}",
                        num(rng.dec(0.0, 90.0, 1), rng.pick(&[" km/h", "km/h"])),
                    ),
                ),
                keep(
                    rng.chance(0.6),
                    f(
                        "pressure_hpa",
                        &["Pressure", "Air pressure", "P"],
                        "pressure {}",
                        num(rng.dec(960.0, 1040.0, 1), rng.pick(&[" hPa", "hPa"])),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "rain_mm",
                        &["Rain", "Rainfall", "R"],
                        "{} of rain",
                        num(rng.dec(0.0, 40.0, 1), rng.pick(&[" mm", "mm"])),
                    ),
                ),
            ]);
            if readings.is_empty() {
                readings.push(f(
                    "rain_mm",
                    &["Rain", "Rainfall", "R"],
                    "{} of rain",
                    num(rng.dec(0.0, 40.0, 1), " mm"),
                ));
            }
            record(
                "weather_station",
                "medium",
                &["Weather station report", "Weather", "Station report"],
                &[Block, Prose, Log, Terse],
                fields(vec![
                    Some(f("station", &["Station", "Site", "stn"], "station {}", text(rng.pick(p::CITIES)))),
                    keep(rng.chance(0.6), f("time", &["Time", "Observed", "t"], "at {}", text(rng.pick(p::TIMES)))),
                    Some(f("readings", &["Readings", "Observations", "obs"], "{}", Val::Obj(readings))),
                    keep(
                        rng.chance(0.5),
                        f(
                            "wind_direction",
                            &["Wind direction", "Direction", "dir"],
                            "from the {}",
                            text(rng.pick(&["N", "NE", "SW", "WNW", "E", "S"])),
                        ),
                    ),
                ]),
            )
        }
        "fleet_telemetry" => record(
            "fleet_telemetry",
            "complex",
            &["Fleet telemetry", "Vehicle report", "Telematics"],
            &[Block, Prose, Log],
            fields(vec![
                Some(f(
                    "vehicle",
                    &["Vehicle", "Truck", "veh"],
                    "vehicle {}",
                    Val::Obj(fields(vec![
                        Some(f("id", &["ID", "Vehicle id", "id"], "{}", text(format!("TRK-{}", rng.int(100, 999))))),
                        keep(
                            rng.chance(0.6),
                            f(
                                "plate",
                                &["Plate", "Reg", "plate"],
                                "plate {}",
                                text(rng.pick(&["AB-123-CD", "KX 4410", "B MZ 2026", "LS70 ABC"])),
                            ),
                        ),
                    ])),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "driver",
                        &["Driver", "Operator", "drv"],
                        "driven by {}",
                        Val::Obj(fields(vec![
                            Some(f("name", &["Name", "name"], "{}", text(rng.pick(p::PEOPLE)))),
                            keep(
                                rng.chance(0.5),
                                f(
                                    "license_id",
                                    &["Licence", "License id", "lic"],
                                    "licence {}",
                                    text(rng.pick(&["DL-55102", "L4410-77", "B7281930"])),
                                ),
                            ),
                        ])),
                    ),
                ),
                Some(f(
                    "location",
                    &["Location", "Position", "pos"],
                    "at {}",
                    Val::Obj(vec![
                        f("lat", &["Lat", "Latitude", "lat"], "lat {}", num(rng.dec(35.0, 65.0, 4), "")),
                        f("lon", &["Lon", "Longitude", "lon"], "lon {}", num(rng.dec(-9.0, 30.0, 4), "")),
                    ]),
                )),
                keep(
                    rng.chance(0.6),
                    f("speed_kmh", &["Speed", "spd"], "doing {}", num(rng.dec(0.0, 110.0, 1), " km/h")),
                ),
                keep(
                    rng.chance(0.5),
                    f("fuel_pct", &["Fuel", "Fuel level", "fuel"], "fuel {}", num(rng.int(3, 100).to_string(), "%")),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "engine",
                        &["Engine", "eng"],
                        "engine {}",
                        Val::Obj(fields(vec![
                            Some(f("rpm", &["RPM", "rpm"], "{} rpm", num(rng.int(600, 3200).to_string(), ""))),
                            keep(
                                rng.chance(0.6),
                                f(
                                    "coolant_c",
                                    &["Coolant", "cool"],
                                    "coolant {}",
                                    num(rng.int(70, 110).to_string(), " C"),
                                ),
                            ),
                            keep(
                                rng.chance(0.5),
                                f(
                                    "fault_codes",
                                    &["Fault codes", "DTC", "dtc"],
                                    "codes {}",
                                    Val::List(texts(rng, p::FAULT_CODES, 1, 2)),
                                ),
                            ),
                        ])),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "odometer_km",
                        &["Odometer", "Odo", "odo"],
                        "odometer {}",
                        num(rng.int(1000, 400000).to_string(), " km"),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "alerts",
                        &["Alerts", "Warnings", "alerts"],
                        "alerts: {}",
                        Val::List(texts(rng, p::ALERTS, 1, 2)),
                    ),
                ),
            ]),
        ),
        "incident_report" => {
            let timeline = rng
                .some(p::INCIDENT_EVENTS, 1, 3)
                .into_iter()
                .map(|e| {
                    Val::Obj(vec![
                        f(
                            "time",
                            &["Time", "At", "t"],
                            "at {}",
                            text(rng.pick(&["09:12", "09:20", "09:41", "10:05", "10:30", "11:02"])),
                        ),
                        f("event", &["Event", "What", "ev"], "{}", text(e)),
                    ])
                })
                .collect();
            record(
                "incident_report",
                "complex",
                &["Incident report", "Postmortem", "Outage report"],
                &[Block, Prose, Email],
                fields(vec![
                    Some(f(
                        "incident_id",
                        &["Incident", "Incident ID", "id"],
                        "incident {}",
                        text(format!("INC-{}", rng.int(1000, 9999))),
                    )),
                    Some(f(
                        "title",
                        &["Title", "Summary", "title"],
                        "titled \"{}\"",
                        text(rng.pick(&[
                            "MQTT bridge outage",
                            "Database failover",
                            "Expired TLS certificate",
                            "Gateway firmware crash loop",
                        ])),
                    )),
                    Some(f(
                        "severity",
                        &["Severity", "Sev", "sev"],
                        "severity {}",
                        choice(rng, &["sev1", "sev2", "sev3", "sev4"]),
                    )),
                    keep(
                        rng.chance(0.6),
                        f("started", &["Started", "Start", "start"], "started {}", text(rng.pick(p::TIMES))),
                    ),
                    keep(
                        rng.chance(0.5),
                        f("resolved", &["Resolved", "End", "end"], "resolved {}", text(rng.pick(p::TIMES))),
                    ),
                    keep(
                        rng.chance(0.6),
                        f(
                            "affected_services",
                            &["Affected services", "Services", "svc"],
                            "affecting {}",
                            Val::List(texts(rng, p::SERVICES, 1, 3)),
                        ),
                    ),
                    keep(
                        rng.chance(0.6),
                        f(
                            "reporter",
                            &["Reporter", "Reported by", "rep"],
                            "reported by {}",
                            Val::Obj(fields(vec![
                                Some(f("name", &["Name", "name"], "{}", text(rng.pick(p::PEOPLE)))),
                                keep(
                                    rng.chance(0.5),
                                    f(
                                        "team",
                                        &["Team", "team"],
                                        "of team {}",
                                        text(rng.pick(&["SRE", "Platform", "Field Ops", "Network"])),
                                    ),
                                ),
                            ])),
                        ),
                    ),
                    Some(f("timeline", &["Timeline", "Events", "tl"], "timeline: {}", Val::List(timeline))),
                    keep(
                        rng.chance(0.5),
                        f(
                            "root_cause",
                            &["Root cause", "Cause", "cause"],
                            "caused by {}",
                            text(rng.pick(&[
                                "an expired certificate",
                                "a full disk on the broker",
                                "a bad config push",
                                "a power cut in rack 2",
                            ])),
                        ),
                    ),
                    keep(
                        rng.chance(0.5),
                        f(
                            "customer_impact",
                            &["Customer impact", "impact"],
                            "customers were affected|no customer impact",
                            Val::Bool(rng.chance(0.5)),
                        ),
                    ),
                ]),
            )
        }
        "invoice" => {
            let lines = (0..1 + rng.below(3))
                .map(|_| {
                    let q = rng.int(1, 20);
                    let price = money(rng, 0.5, 300.0);
                    let amount = format!("{:.2}", q as f64 * price.parse::<f64>().unwrap_or(0.0));
                    Val::Obj(fields(vec![
                        Some(f("description", &["Item", "Description", "item"], "{}", text(rng.pick(p::ITEMS)))),
                        keep(
                            rng.chance(0.7),
                            f("quantity", &["Qty", "Quantity", "qty"], "x {}", num(q.to_string(), "")),
                        ),
                        keep(
                            rng.chance(0.6),
                            f("unit_price", &["Unit price", "Price", "each"], "at {} each", num(price, "")),
                        ),
                        Some(f("amount", &["Amount", "Line total", "amt"], "= {}", num(amount, ""))),
                    ]))
                })
                .collect();
            record(
                "invoice",
                "complex",
                &["Invoice", "INVOICE", "Tax invoice"],
                &[Block, Prose, Email],
                fields(vec![
                    Some(f(
                        "invoice_number",
                        &["Invoice no", "Invoice number", "No"],
                        "invoice {}",
                        text(format!("INV-{}", rng.int(2026000, 2026999))),
                    )),
                    keep(
                        rng.chance(0.7),
                        f("date", &["Date", "Invoice date", "date"], "dated {}", text(rng.pick(p::DATES))),
                    ),
                    keep(
                        rng.chance(0.5),
                        f("due_date", &["Due", "Due date", "due"], "due {}", text(rng.pick(p::DATES))),
                    ),
                    Some(f("seller", &["Seller", "From", "Supplier", "seller"], "issued by {}", party(rng))),
                    Some(f("buyer", &["Buyer", "Bill to", "Customer", "buyer"], "billed to {}", party(rng))),
                    Some(f("line_items", &["Lines", "Items", "lines"], "items: {}", Val::List(lines))),
                    keep(
                        rng.chance(0.5),
                        f("subtotal", &["Subtotal", "Net", "net"], "subtotal {}", num(money(rng, 10.0, 900.0), "")),
                    ),
                    keep(rng.chance(0.5), f("tax", &["Tax", "VAT", "tax"], "tax {}", num(money(rng, 1.0, 200.0), ""))),
                    Some(f("total", &["Total", "Amount due", "total"], "total {}", num(money(rng, 10.0, 1200.0), ""))),
                    keep(rng.chance(0.6), f("currency", &["Currency", "cur"], "in {}", currency(rng))),
                ]),
            )
        }
        "iot_inventory" => {
            let devices: Vec<Val> = rng
                .some(p::DEVICES, 1, 3)
                .into_iter()
                .map(|d| {
                    Val::Obj(fields(vec![
                        Some(f("id", &["ID", "Device", "id"], "{}", text(d))),
                        Some(f(
                            "type",
                            &["Type", "Kind", "type"],
                            "({})",
                            text(rng.pick(&["camera", "PLC", "sensor", "gateway", "valve"])),
                        )),
                        keep(
                            rng.chance(0.6),
                            f(
                                "ip",
                                &["IP", "Address", "ip"],
                                "at {}",
                                text(format!("192.168.{}.{}", rng.int(0, 9), rng.int(2, 254))),
                            ),
                        ),
                        keep(
                            rng.chance(0.4),
                            f(
                                "firmware",
                                &["Firmware", "FW", "fw"],
                                "fw {}",
                                text(rng.pick(&["1.0.3", "v2.2", "4.1.0"])),
                            ),
                        ),
                        keep(
                            rng.chance(0.6),
                            f("online", &["Online", "Up", "up"], "online|offline", Val::Bool(rng.chance(0.7))),
                        ),
                    ]))
                })
                .collect();
            record(
                "iot_inventory",
                "complex",
                &["IoT site inventory", "Site scan", "Device inventory"],
                &[Block, Prose],
                fields(vec![
                    Some(f("site", &["Site", "Location", "site"], "site {}", text(rng.pick(p::SITES)))),
                    keep(
                        rng.chance(0.6),
                        f("scanned_at", &["Scanned", "Scan time", "scan"], "scanned {}", text(rng.pick(p::TIMES))),
                    ),
                    Some(f(
                        "gateway",
                        &["Gateway", "GW", "gw"],
                        "gateway {}",
                        Val::Obj(fields(vec![
                            Some(f(
                                "hostname",
                                &["Hostname", "Host", "host"],
                                "{}",
                                text(rng.pick(&["gw-edge-01", "edge-gw-7", "site-router"])),
                            )),
                            keep(
                                rng.chance(0.6),
                                f(
                                    "ip",
                                    &["IP", "Address", "ip"],
                                    "at {}",
                                    text(format!("192.168.{}.1", rng.int(0, 9))),
                                ),
                            ),
                            keep(
                                rng.chance(0.5),
                                f(
                                    "firmware",
                                    &["Firmware", "FW", "fw"],
                                    "firmware {}",
                                    text(rng.pick(&["OpenWrt 23.05", "v3.4.2", "RUTOS 7.6"])),
                                ),
                            ),
                        ])),
                    )),
                    keep(
                        rng.chance(0.5),
                        f(
                            "subnet",
                            &["Subnet", "Network", "net"],
                            "on {}",
                            text(format!("192.168.{}.0/24", rng.int(0, 9))),
                        ),
                    ),
                    Some(f("devices", &["Devices", "Found", "dev"], "devices: {}", Val::List(devices))),
                    keep(
                        rng.chance(0.4),
                        f(
                            "notes",
                            &["Notes", "Remarks", "notes"],
                            "note: {}",
                            text(rng.pick(&[
                                "camera 2 needs a new PoE injector",
                                "scan interrupted once",
                                "two unknown MACs seen",
                            ])),
                        ),
                    ),
                ]),
            )
        }
        "medical_visit" => record(
            "medical_visit",
            "complex",
            &["Clinic visit", "Visit summary", "Consultation note"],
            &[Block, Prose],
            fields(vec![
                Some(f(
                    "patient",
                    &["Patient", "Pt", "pt"],
                    "patient {}",
                    Val::Obj(fields(vec![
                        Some(f("name", &["Name", "name"], "{}", text(rng.pick(p::PEOPLE)))),
                        keep(
                            rng.chance(0.7),
                            f("age", &["Age", "age"], "aged {}", num(rng.int(2, 95).to_string(), "")),
                        ),
                        keep(
                            rng.chance(0.6),
                            f("sex", &["Sex", "sex"], "{}", choice(rng, &["female", "male", "other"])),
                        ),
                    ])),
                )),
                Some(f(
                    "provider",
                    &["Provider", "Clinician", "Seen by", "dr"],
                    "seen by {}",
                    Val::Obj(fields(vec![
                        Some(f("name", &["Name", "name"], "Dr {}", text(rng.pick(p::PEOPLE)))),
                        keep(
                            rng.chance(0.5),
                            f("specialty", &["Specialty", "spec"], "({})", text(rng.pick(p::SPECIALTIES))),
                        ),
                    ])),
                )),
                keep(rng.chance(0.7), f("date", &["Date", "Visit date", "date"], "on {}", text(rng.pick(p::DATES)))),
                keep(
                    rng.chance(0.6),
                    f("complaint", &["Complaint", "Reason", "cc"], "complaining of {}", text(rng.pick(p::COMPLAINTS))),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "vitals",
                        &["Vitals", "vitals"],
                        "vitals {}",
                        Val::Obj(fields(vec![
                            Some(f(
                                "bp",
                                &["BP", "Blood pressure", "bp"],
                                "BP {}",
                                text(rng.pick(&["120/80", "135/88", "110/70", "142/95"])),
                            )),
                            keep(
                                rng.chance(0.7),
                                f(
                                    "pulse_bpm",
                                    &["Pulse", "HR", "hr"],
                                    "pulse {}",
                                    num(rng.int(52, 120).to_string(), " bpm"),
                                ),
                            ),
                            keep(
                                rng.chance(0.6),
                                f(
                                    "temp_c",
                                    &["Temp", "Temperature", "t"],
                                    "temperature {}",
                                    num(rng.dec(36.0, 39.5, 1), " C"),
                                ),
                            ),
                        ])),
                    ),
                ),
                Some(f(
                    "diagnosis",
                    &["Diagnosis", "Assessment", "dx"],
                    "diagnosed with {}",
                    text(rng.pick(p::DIAGNOSES)),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "medications",
                        &["Medications", "Rx", "rx"],
                        "prescribed {}",
                        Val::List(
                            rng.some(p::DRUGS, 1, 2)
                                .into_iter()
                                .map(|d| {
                                    Val::Obj(fields(vec![
                                        Some(f("name", &["Drug", "Name", "drug"], "{}", text(d))),
                                        keep(
                                            rng.chance(0.7),
                                            f(
                                                "dose",
                                                &["Dose", "dose"],
                                                "{}",
                                                text(rng.pick(&["500 mg", "200mg", "10 mg", "1 tablet"])),
                                            ),
                                        ),
                                        keep(
                                            rng.chance(0.6),
                                            f(
                                                "frequency",
                                                &["Frequency", "freq"],
                                                "{}",
                                                text(rng.pick(&[
                                                    "twice daily",
                                                    "every 8 hours",
                                                    "once a day",
                                                    "as needed",
                                                ])),
                                            ),
                                        ),
                                    ]))
                                })
                                .collect(),
                        ),
                    ),
                ),
                keep(
                    rng.chance(0.5),
                    f(
                        "follow_up",
                        &["Follow-up", "Follow up", "fu"],
                        "follow-up {}",
                        text(rng.pick(&["in 2 weeks", "2026-05-20", "if no improvement", "next month"])),
                    ),
                ),
            ]),
        ),
        "meeting_notes" => record(
            "meeting_notes",
            "complex",
            &["Meeting notes", "Minutes", "Meeting minutes"],
            &[Block, Prose, Email],
            fields(vec![
                Some(f(
                    "title",
                    &["Title", "Meeting", "title"],
                    "meeting \"{}\"",
                    text(rng.pick(&["Weekly ops sync", "Pilot review", "Budget planning", "Site rollout kickoff"])),
                )),
                keep(rng.chance(0.7), f("date", &["Date", "Held on", "date"], "held {}", text(rng.pick(p::DATES)))),
                keep(
                    rng.chance(0.5),
                    f(
                        "location",
                        &["Location", "Room", "where"],
                        "in {}",
                        text(rng.pick(&["Room 2.14", "video call", "Plant 1 office", "HQ boardroom"])),
                    ),
                ),
                Some(f(
                    "attendees",
                    &["Attendees", "Present", "att"],
                    "with {}",
                    Val::List(
                        rng.some(p::PEOPLE, 2, 3)
                            .into_iter()
                            .map(|n| {
                                Val::Obj(fields(vec![
                                    Some(f("name", &["Name", "name"], "{}", text(n))),
                                    keep(
                                        rng.chance(0.5),
                                        f(
                                            "role",
                                            &["Role", "role"],
                                            "({})",
                                            text(rng.pick(&["chair", "QA", "Field Ops", "finance", "engineering"])),
                                        ),
                                    ),
                                ]))
                            })
                            .collect(),
                    ),
                )),
                keep(
                    rng.chance(0.6),
                    f(
                        "decisions",
                        &["Decisions", "Decided", "dec"],
                        "decided to {}",
                        Val::List(texts(rng, p::DECISIONS, 1, 2)),
                    ),
                ),
                Some(f(
                    "action_items",
                    &["Action items", "Actions", "todo"],
                    "actions: {}",
                    Val::List(
                        (0..1 + rng.below(2))
                            .map(|_| {
                                Val::Obj(fields(vec![
                                    Some(f("owner", &["Owner", "Who", "who"], "{}", text(rng.pick(p::PEOPLE)))),
                                    Some(f(
                                        "task",
                                        &["Task", "What", "task"],
                                        "to {}",
                                        text(rng.pick(&[
                                            "order spare parts",
                                            "update the runbook",
                                            "call the vendor",
                                            "test the new firmware",
                                            "book the site visit",
                                        ])),
                                    )),
                                    keep(
                                        rng.chance(0.6),
                                        f("due", &["Due", "By", "due"], "by {}", text(rng.pick(p::DATES))),
                                    ),
                                ]))
                            })
                            .collect(),
                    ),
                )),
                keep(
                    rng.chance(0.5),
                    f("next_meeting", &["Next meeting", "Next", "next"], "next meeting {}", text(rng.pick(p::DATES))),
                ),
            ]),
        ),
        "purchase_request" => record(
            "purchase_request",
            "complex",
            &["Purchase request", "PR", "Requisition"],
            &[Block, Prose, Email],
            fields(vec![
                Some(f(
                    "request_id",
                    &["Request", "Request ID", "PR no", "id"],
                    "request {}",
                    text(format!("PR-{}", rng.int(1000, 9999))),
                )),
                Some(f(
                    "requester",
                    &["Requester", "Requested by", "req"],
                    "from {}",
                    Val::Obj(fields(vec![
                        Some(f("name", &["Name", "name"], "{}", text(rng.pick(p::PEOPLE)))),
                        keep(
                            rng.chance(0.6),
                            f(
                                "department",
                                &["Department", "Dept", "dept"],
                                "of {}",
                                text(rng.pick(&["Maintenance", "IT", "Facilities", "R&D"])),
                            ),
                        ),
                    ])),
                )),
                keep(rng.chance(0.6), f("vendor", &["Vendor", "Supplier", "vendor"], "vendor {}", party(rng))),
                Some(f(
                    "items",
                    &["Items", "Lines", "items"],
                    "for {}",
                    Val::List(
                        (0..1 + rng.below(3))
                            .map(|_| {
                                Val::Obj(fields(vec![
                                    Some(f("name", &["Item", "Name", "item"], "{}", text(rng.pick(p::ITEMS)))),
                                    Some(f(
                                        "quantity",
                                        &["Qty", "Quantity", "qty"],
                                        "x {}",
                                        num(rng.int(1, 40).to_string(), ""),
                                    )),
                                    keep(
                                        rng.chance(0.6),
                                        f(
                                            "unit_cost",
                                            &["Unit cost", "Each", "each"],
                                            "at {} each",
                                            num(money(rng, 1.0, 250.0), ""),
                                        ),
                                    ),
                                ]))
                            })
                            .collect(),
                    ),
                )),
                keep(
                    rng.chance(0.6),
                    f("total", &["Total", "Estimated total", "total"], "total {}", num(money(rng, 20.0, 3000.0), "")),
                ),
                keep(rng.chance(0.5), f("currency", &["Currency", "cur"], "in {}", currency(rng))),
                keep(
                    rng.chance(0.5),
                    f("needed_by", &["Needed by", "Required by", "need"], "needed by {}", text(rng.pick(p::DATES))),
                ),
                Some(f(
                    "approvers",
                    &["Approvers", "Approval", "appr"],
                    "approvals: {}",
                    Val::List(
                        rng.some(p::PEOPLE, 1, 2)
                            .into_iter()
                            .map(|n| {
                                Val::Obj(fields(vec![
                                    Some(f("name", &["Name", "name"], "{}", text(n))),
                                    Some(f(
                                        "status",
                                        &["Status", "status"],
                                        "{}",
                                        choice(rng, &["approved", "rejected", "pending"]),
                                    )),
                                ]))
                            })
                            .collect(),
                    ),
                )),
                keep(
                    rng.chance(0.5),
                    f(
                        "justification",
                        &["Justification", "Reason", "why"],
                        "because {}",
                        text(rng.pick(&[
                            "the old units failed",
                            "the new site opens in May",
                            "stock is below minimum",
                        ])),
                    ),
                ),
            ]),
        ),
        _ => {
            let packages = (0..1 + rng.below(3))
                .map(|i| {
                    Val::Obj(fields(vec![
                        keep(
                            rng.chance(0.6),
                            f("reference", &["Ref", "Reference", "ref"], "{}", text(format!("PKG-{}", i + 1))),
                        ),
                        Some(f(
                            "weight_kg",
                            &["Weight", "Wt", "wt"],
                            "{}",
                            num(rng.dec(0.2, 40.0, 1), rng.pick(&[" kg", "kg"])),
                        )),
                        keep(
                            rng.chance(0.6),
                            f("contents", &["Contents", "Content", "cont"], "of {}", text(rng.pick(p::ITEMS))),
                        ),
                    ]))
                })
                .collect();
            record(
                "shipment",
                "complex",
                &["Shipment notice", "Dispatch note", "Shipping confirmation"],
                &[Block, Prose, Email],
                fields(vec![
                    Some(f(
                        "tracking_number",
                        &["Tracking", "Tracking number", "AWB", "trk"],
                        "tracking {}",
                        text(format!("1Z{}{}", rng.int(100000, 999999), rng.int(1000, 9999))),
                    )),
                    keep(
                        rng.chance(0.7),
                        f("carrier", &["Carrier", "Via", "carrier"], "via {}", text(rng.pick(p::CARRIERS))),
                    ),
                    keep(
                        rng.chance(0.6),
                        f("ship_date", &["Ship date", "Shipped", "date"], "shipped {}", text(rng.pick(p::DATES))),
                    ),
                    Some(f("shipper", &["Shipper", "From", "Sender", "from"], "from {}", party(rng))),
                    Some(f("consignee", &["Consignee", "To", "Recipient", "to"], "to {}", party(rng))),
                    Some(f("packages", &["Packages", "Parcels", "pkgs"], "packages: {}", Val::List(packages))),
                    keep(
                        rng.chance(0.6),
                        f(
                            "service",
                            &["Service", "Level", "svc"],
                            "{} service",
                            choice(rng, &["standard", "express", "overnight"]),
                        ),
                    ),
                    keep(
                        rng.chance(0.4),
                        f(
                            "insured_value",
                            &["Insured value", "Insurance", "ins"],
                            "insured for {}",
                            num(money(rng, 50.0, 5000.0), ""),
                        ),
                    ),
                ]),
            )
        }
    }
}
