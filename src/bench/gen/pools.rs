//! Word pools the generator draws values and filler text from.

pub const PEOPLE: &[&str] = &[
    "Ana Silva",
    "Bo Chen",
    "Carla Mendes",
    "Dev Patel",
    "Emma Novak",
    "Farid Haddad",
    "Grace Okafor",
    "Hiro Tanaka",
    "Ines Duarte",
    "Jonas Berg",
    "Kofi Mensah",
    "Lena Fischer",
    "Marta Kowalska",
    "Nils Eriksson",
    "Olga Petrova",
    "Pablo Ruiz",
    "Quinn Taylor",
    "Rosa Alvarez",
    "Sam Wilson",
    "Tariq Aziz",
    "Uma Rao",
    "Victor Lemaire",
    "Wen Li",
    "Yara Costa",
];

pub const COMPANIES: &[&str] = &[
    "Acme Components GmbH",
    "Northwind Traders",
    "Blue Harbor Logistics",
    "Greenfield Farms Ltd",
    "Helios Solar AG",
    "Kestrel Robotics",
    "Lumen Electric Co",
    "Meridian Supplies",
    "Orbit Parts BV",
    "Pinecrest Labs",
    "Riverbend Foods",
    "Summit Tools Inc",
    "Tidewater Marine",
    "Vertex Sensors SRL",
];

pub const ADDRESSES: &[&str] = &[
    "12 Mill Road, Leeds LS1 4AP",
    "Hauptstrasse 8, 10115 Berlin",
    "44 Harbour St, Cork",
    "Via Roma 21, 20121 Milano",
    "7 Rue des Lilas, 69003 Lyon",
    "Keizersgracht 100, Amsterdam",
    "300 Pine Ave, Portland OR 97204",
    "Calle Mayor 5, 28013 Madrid",
    "Storgatan 14, Uppsala",
];

pub const VAT_IDS: &[&str] = &[
    "DE811234567",
    "GB123456789",
    "IE6388047V",
    "IT01234567890",
    "FR40123456824",
    "NL004495445B01",
    "ES-B12345678",
    "SE556677889901",
];

pub const SITES: &[&str] = &[
    "greenhouse-3",
    "barn-east",
    "cold-room-2",
    "roof-north",
    "pump-house",
    "lab-a",
    "warehouse-7",
    "substation-12",
    "silo-4",
    "office-2f",
];

pub const DEVICES: &[&str] = &[
    "pump-ctrl-02",
    "gw-edge-01",
    "cam-lobby-3",
    "solar-node-7",
    "valve-11",
    "hvac-unit-4",
    "plc-line-2",
    "meter-hub-9",
    "tracker-a17",
    "sensor-b12",
    "rpi-kiosk-5",
    "fan-ctrl-3",
];

pub const SERVICES: &[&str] = &[
    "billing",
    "auth",
    "mqtt-bridge",
    "ingest",
    "scheduler",
    "api-gateway",
    "payments",
    "search",
    "notifier",
    "backup",
    "dns",
    "inventory",
];

pub const LOG_MESSAGES: &[&str] = &[
    "Connection to upstream timed out after 30s",
    "Disk usage above 90 percent on /var",
    "User login failed for admin from 10.0.4.17",
    "Cache warmed with 1200 entries",
    "Retrying publish to topic farm/telemetry",
    "Certificate expires in 7 days",
    "Worker pool resized to 8 threads",
    "Battery runtime below 5 minutes",
    "Temperature threshold exceeded in rack 4",
    "Backup finished in 42 minutes",
    "Queue depth above limit for 5 minutes",
    "Firmware update downloaded and verified",
];

pub const PRODUCTS: &[&str] = &[
    "Edge Gateway X2",
    "SmartMeter Pro",
    "CamHub 4K",
    "Thermo Node",
    "FleetTrack Mini",
    "DoorSense",
    "Solar Charge Controller",
    "Irrigation Valve Kit",
];

pub const SUMMARIES: &[&str] = &[
    "Device reboots every night at 2am",
    "Cannot pair the sensor with the app",
    "Dashboard shows no data since Monday",
    "Battery drains within two days",
    "Firmware update fails at 80 percent",
    "Wrong readings after calibration",
    "Login page returns error 500",
    "Alerts arrive twice on the phone",
];

pub const ITEMS: &[&str] = &[
    "M8 bolts",
    "Cat6 cable 5m",
    "USB-C power supply",
    "Temperature probe",
    "Relay board",
    "SD card 64GB",
    "Enclosure IP65",
    "Solar panel 20W",
    "LoRa antenna",
    "Cable ties",
    "Thermal paste",
    "Din rail 1m",
];

pub const SKUS: &[&str] = &["SKU-1001", "AB-220", "X7-KIT", "PRB-09", "CBL-5M", "PSU-65W", "ENC-IP65", "RLY-4CH"];

pub const CITIES: &[&str] = &["Lisbon", "Oslo", "Graz", "Tartu", "Bilbao", "Ghent", "Turku", "Brno", "Cork", "Porto"];

pub const DATES: &[&str] = &[
    "2026-03-04",
    "12 March 2026",
    "03/15/2026",
    "2026-04-01",
    "1 May 2026",
    "June 9, 2026",
    "2026-07-22",
    "14.08.2026",
    "Sep 3 2026",
    "2026-10-30",
];

pub const TIMES: &[&str] = &[
    "10:32",
    "08:05:17",
    "23:59",
    "2026-03-04 14:20",
    "06:45 UTC",
    "2026-05-01T09:30:00Z",
    "17:02",
    "12:00",
    "04:18:44",
];

pub const TASKS: &[&str] = &[
    "replaced filter",
    "greased bearings",
    "checked belt tension",
    "updated firmware",
    "cleaned sensor",
    "tightened terminals",
    "replaced fuse",
    "calibrated probe",
    "flushed coolant",
];

pub const TESTS: &[(&str, &str, f64, f64)] = &[
    ("Glucose", "mg/dL", 70.0, 99.0),
    ("Hemoglobin", "g/dL", 12.0, 16.0),
    ("Potassium", "mmol/L", 3.5, 5.1),
    ("TSH", "mIU/L", 0.4, 4.0),
    ("Creatinine", "mg/dL", 0.6, 1.2),
    ("Sodium", "mmol/L", 135.0, 145.0),
];

pub const DRUGS: &[&str] = &["Amoxicillin", "Ibuprofen", "Metformin", "Lisinopril", "Paracetamol", "Omeprazole"];

pub const DIAGNOSES: &[&str] =
    &["acute bronchitis", "migraine", "type 2 diabetes", "hypertension", "sprained ankle", "sinusitis"];

pub const COMPLAINTS: &[&str] = &[
    "cough for two weeks",
    "headache and nausea",
    "pain in the left ankle",
    "fatigue and thirst",
    "blocked nose and fever",
];

pub const SPECIALTIES: &[&str] = &["general practice", "cardiology", "neurology", "orthopedics", "internal medicine"];

pub const INCIDENT_EVENTS: &[&str] = &[
    "alert fired",
    "on-call paged",
    "rollback started",
    "traffic shifted to standby",
    "root cause identified",
    "service restored",
    "database failover completed",
    "cache flushed",
];

pub const DECISIONS: &[&str] = &[
    "move the release to Friday",
    "buy two spare gateways",
    "switch to the new carrier",
    "freeze firmware changes",
    "hire a second technician",
];

pub const ALERTS: &[&str] =
    &["harsh braking", "low tyre pressure", "engine overheating", "door open while moving", "geofence exit"];

pub const FAULT_CODES: &[&str] = &["P0300", "P0171", "P0420", "U0100", "P0128", "C1234"];

pub const CARRIERS: &[&str] = &["DHL", "UPS", "FedEx", "DPD", "GLS", "PostNord"];

pub const LOG_TAGS: &[&str] = &["agent[812]:", "kernel:", "edge-collector:", "systemd[1]:", "app[4410]:"];

pub const SENDERS: &[&str] =
    &["noreply@suppliers.example", "ops@fieldteam.example", "billing@vendor.example", "alerts@monitor.example"];

pub const ADDRESSEES: &[&str] = &[
    "ana.silva@example.com",
    "ops@plant.example",
    "bo.chen@example.org",
    "facilities@campus.example",
    "grace@okafor.example",
    "support@vendor.example",
    "lena.fischer@example.net",
    "team-edge@example.com",
];

pub const SUBJECT_TAILS: &[&str] = &["attached", "for your records", "(automated)", "- please review", "update"];

pub const EMAIL_SUBJECTS: &[&str] = &[
    "Quarterly sensor report",
    "Re: gateway replacement",
    "Site visit on Thursday",
    "Invoice question",
    "Firmware rollout plan",
    "Fwd: outage summary",
];

pub const EMAIL_BODIES: &[&str] = &[
    "Hi all, see the notes from today.",
    "Hello, a short update on the rollout.",
    "Dear team, please review before Friday.",
    "Hi, following up on our call.",
];

pub const GREETINGS: &[&str] = &["Hello,", "Hi team,", "Dear colleagues,", "Good morning,"];

pub const SIGN_OFFS: &[&str] =
    &["Regards,\nOps", "Thanks,\nField team", "Best,\nAccounts", "--\nsent from the edge gateway"];
