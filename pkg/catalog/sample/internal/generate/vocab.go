package generate

// The vocabularies the sample catalog is built from. Service and venue names
// are real, room names real or made up in the style of each venue; companies
// are the fictional ones AWS documentation uses and speakers are random
// first/last name pairs.

// An area is a session-code prefix with its track and what its sessions
// talk about.
type area struct {
	prefix   string
	track    string
	domain   string // what the area is about, for innovation talks and jams
	weight   int    // relative share of base codes
	home     string // the venue most of its sessions are in
	services []string
	concepts []string // lower-case noun phrases: "event-driven architectures"
	aspects  []string // lower-case: "error handling", for abstracts
	topics   []string
	roles    []string
	extra    []string // a second track some sessions carry
}

var areas = []area{
	{
		prefix: "AIM", track: "Artificial Intelligence", domain: "generative AI", weight: 15, home: "Caesars Palace",
		services: []string{"Amazon Bedrock", "Amazon Bedrock AgentCore", "Amazon SageMaker AI", "Amazon Nova", "Amazon Q Developer", "Amazon Bedrock Knowledge Bases", "Amazon Bedrock Guardrails", "AWS Trainium", "AWS Inferentia", "Amazon SageMaker HyperPod", "Amazon Textract", "Amazon Transcribe"},
		concepts: []string{"agentic workflows", "retrieval-augmented generation", "multi-agent systems", "foundation model fine-tuning", "responsible AI guardrails", "AI agents in production", "model evaluation pipelines", "intelligent document processing", "generative AI applications", "distributed model training", "low-latency inference", "voice assistants", "prompt engineering practices", "AI-powered search", "tool-using agents"},
		aspects:  []string{"model selection", "prompt caching", "evaluation", "guardrails", "cost per token", "latency", "agent memory", "observability"},
		topics:   []string{"Generative AI", "Agentic AI", "Machine Learning", "Responsible AI"},
		roles:    []string{"Developer / Engineer", "Data Scientist", "Solution / Systems Architect", "IT Executive"},
		extra:    []string{"Machine Learning", "Developer Productivity"},
	},
	{
		prefix: "ANT", track: "Analytics", domain: "data analytics", weight: 6, home: "Caesars Palace",
		services: []string{"Amazon Redshift", "Amazon Athena", "AWS Glue", "Amazon EMR", "Amazon Kinesis Data Streams", "Amazon Managed Service for Apache Flink", "Amazon OpenSearch Service", "Amazon QuickSight", "Amazon DataZone", "Amazon SageMaker Unified Studio", "Amazon MSK", "AWS Lake Formation", "Amazon S3 Tables"},
		concepts: []string{"modern data architectures", "streaming analytics", "zero-ETL integrations", "data lakehouses", "real-time dashboards", "data governance at scale", "Apache Iceberg tables", "log analytics", "data mesh architectures", "petabyte-scale data warehouses", "vector search"},
		aspects:  []string{"data quality", "fine-grained access control", "query performance", "cost controls", "schema evolution", "lineage"},
		topics:   []string{"Analytics", "Data Governance", "Streaming"},
		roles:    []string{"Data Engineer", "Data Scientist", "Solution / Systems Architect", "Business Analyst"},
		extra:    []string{"Databases", "Artificial Intelligence"},
	},
	{
		prefix: "API", track: "Application Integration", domain: "application integration", weight: 4, home: "Wynn",
		services: []string{"Amazon EventBridge", "AWS Step Functions", "Amazon SQS", "Amazon SNS", "Amazon API Gateway", "Amazon MQ", "AWS AppSync", "Amazon EventBridge Pipes"},
		concepts: []string{"event-driven architectures", "distributed workflows", "asynchronous messaging", "GraphQL APIs", "API management at scale", "saga patterns", "workflow orchestration", "event routing across accounts"},
		aspects:  []string{"idempotency", "retries and dead-letter queues", "message ordering", "schema registries", "throttling", "payload size limits"},
		topics:   []string{"Serverless", "Architecture", "Application Integration"},
		roles:    []string{"Developer / Engineer", "Solution / Systems Architect"},
		extra:    []string{"Serverless"},
	},
	{
		prefix: "ARC", track: "Architecture", domain: "cloud architecture", weight: 6, home: "Caesars Forum",
		services: []string{"AWS Well-Architected Tool", "Amazon EC2", "Amazon S3", "Amazon DynamoDB", "AWS Lambda", "Elastic Load Balancing", "Amazon CloudFront", "Amazon Route 53", "AWS Resilience Hub", "AWS Fault Injection Service"},
		concepts: []string{"resilient multi-Region architectures", "cell-based architectures", "SaaS architectures", "disaster recovery strategies", "chaos engineering", "scalable web applications", "multi-tenant platforms", "architectures for high availability", "static stability", "internal developer platforms"},
		aspects:  []string{"blast radius reduction", "failover testing", "tenant isolation", "load shedding", "cost tradeoffs", "operational readiness"},
		topics:   []string{"Architecture", "Resilience", "Cost Optimization"},
		roles:    []string{"Solution / Systems Architect", "Developer / Engineer", "DevOps Engineer", "IT Executive"},
		extra:    []string{"Cloud Operations", "Serverless"},
	},
	{
		prefix: "BIZ", track: "Business Applications", domain: "business applications", weight: 2, home: "Wynn",
		services: []string{"Amazon Connect", "Amazon Q Business", "AWS Supply Chain", "Amazon WorkMail", "AWS End User Messaging", "Amazon Chime SDK", "Amazon QuickSight"},
		concepts: []string{"AI-powered contact centers", "customer self-service", "supply chain visibility", "employee productivity assistants", "omnichannel customer experiences", "agent assist experiences"},
		aspects:  []string{"customer satisfaction", "routing", "forecasting", "personalization", "integration with existing systems"},
		topics:   []string{"Business Applications", "Generative AI", "Customer Experience"},
		roles:    []string{"Business Executive", "IT Professional / Technical Manager", "Developer / Engineer"},
		extra:    []string{"Artificial Intelligence"},
	},
	{
		prefix: "BLD", track: "Developer Productivity", domain: "developer productivity", weight: 2, home: "Venetian",
		services: []string{"Kiro", "Amazon Q Developer", "AWS CDK", "AWS CodeBuild", "AWS CodePipeline", "AWS Amplify", "AWS CloudFormation"},
		concepts: []string{"spec-driven development", "AI coding assistants", "platform engineering", "full-stack web applications", "developer portals", "infrastructure as code"},
		aspects:  []string{"code review", "testing", "onboarding", "golden paths", "developer feedback loops"},
		topics:   []string{"Developer Productivity", "Generative AI", "DevOps"},
		roles:    []string{"Developer / Engineer", "DevOps Engineer"},
		extra:    []string{"Artificial Intelligence"},
	},
	{
		prefix: "CMP", track: "Compute", domain: "compute", weight: 5, home: "MGM Grand",
		services: []string{"Amazon EC2", "AWS Graviton", "AWS Nitro System", "AWS Batch", "AWS ParallelCluster", "Amazon EC2 Spot Instances", "Amazon EC2 Auto Scaling", "Amazon Lightsail", "AWS Compute Optimizer"},
		concepts: []string{"high performance computing", "price-performance optimization", "Arm-based workloads", "GPU capacity planning", "batch processing at scale", "fault-tolerant Spot workloads", "EC2 instance selection"},
		aspects:  []string{"instance selection", "capacity reservations", "right-sizing", "benchmarking", "scaling policies"},
		topics:   []string{"Compute", "Cost Optimization", "Sustainability"},
		roles:    []string{"Solution / Systems Architect", "IT Professional / Technical Manager", "DevOps Engineer"},
		extra:    []string{"Cost Optimization"},
	},
	{
		prefix: "CNS", track: "Containers", domain: "containers", weight: 4, home: "MGM Grand",
		services: []string{"Amazon ECS", "Amazon EKS", "AWS Fargate", "Amazon ECR", "AWS App Runner", "Amazon ECS Service Connect"},
		concepts: []string{"container platforms", "microservices on containers", "blue/green container deployments", "container security", "batch jobs on containers", "containerized machine learning"},
		aspects:  []string{"image scanning", "service discovery", "autoscaling", "deployment safety", "cost allocation"},
		topics:   []string{"Containers", "Architecture", "DevOps"},
		roles:    []string{"Developer / Engineer", "DevOps Engineer", "Solution / Systems Architect"},
		extra:    []string{"Kubernetes"},
	},
	{
		prefix: "COP", track: "Cloud Operations", domain: "cloud operations", weight: 5, home: "Caesars Forum",
		services: []string{"Amazon CloudWatch", "AWS Systems Manager", "AWS Config", "AWS CloudTrail", "AWS Control Tower", "AWS Organizations", "AWS CloudFormation", "AWS Health", "AWS Cost Explorer", "Amazon CloudWatch Application Signals"},
		concepts: []string{"observability strategies", "multi-account governance", "incident response automation", "cloud financial management", "operational excellence", "compliance as code", "AIOps for cloud operations"},
		aspects:  []string{"alarms", "runbooks", "tagging", "guardrails", "dashboards", "root cause analysis"},
		topics:   []string{"Cloud Operations", "Observability", "Governance"},
		roles:    []string{"DevOps Engineer", "IT Professional / Technical Manager", "Solution / Systems Architect"},
		extra:    []string{"Cost Optimization"},
	},
	{
		prefix: "DAT", track: "Databases", domain: "databases", weight: 6, home: "Venetian",
		services: []string{"Amazon Aurora", "Amazon DynamoDB", "Amazon RDS", "Amazon ElastiCache", "Amazon Neptune", "Amazon DocumentDB", "Amazon Aurora DSQL", "Amazon Keyspaces", "Amazon MemoryDB", "Amazon RDS for PostgreSQL"},
		concepts: []string{"data modeling for NoSQL", "distributed SQL", "database migrations", "graph applications", "caching strategies", "globally distributed databases", "vector databases", "serverless databases"},
		aspects:  []string{"access patterns", "read replicas", "connection pooling", "backup and restore", "global tables", "query tuning"},
		topics:   []string{"Databases", "Migration & Modernization", "Generative AI"},
		roles:    []string{"Developer / Engineer", "Database Administrator", "Solution / Systems Architect"},
		extra:    []string{"Analytics"},
	},
	{
		prefix: "DEV", track: "Developer Community", domain: "building on AWS", weight: 5, home: "Venetian",
		services: []string{"AWS CDK", "AWS SAM", "AWS SDK for Rust", "AWS SDK for Java", "AWS Lambda", "Amazon Q Developer", "AWS Amplify", "Kiro"},
		concepts: []string{"open source libraries", "local development workflows", "developer tooling", "serverless side projects", "CI/CD pipelines", "typed infrastructure code"},
		aspects:  []string{"testing", "local emulation", "community contributions", "documentation", "release automation"},
		topics:   []string{"Developer Productivity", "Open Source", "Community"},
		roles:    []string{"Developer / Engineer", "Student"},
		extra:    []string{"Serverless", "Open Source"},
	},
	{
		prefix: "END", track: "End User Computing", domain: "end user computing", weight: 1, home: "Wynn",
		services: []string{"Amazon WorkSpaces", "Amazon AppStream 2.0", "Amazon WorkSpaces Secure Browser", "Amazon WorkSpaces Thin Client"},
		concepts: []string{"virtual desktops", "secure remote access", "application streaming", "desktop migrations"},
		aspects:  []string{"user experience", "identity integration", "licensing", "capacity planning"},
		topics:   []string{"End User Computing", "Security & Identity"},
		roles:    []string{"IT Professional / Technical Manager", "Solution / Systems Architect"},
	},
	{
		prefix: "GBL", track: "Global Infrastructure", domain: "global infrastructure", weight: 1, home: "Venetian",
		services: []string{"AWS Local Zones", "AWS Outposts", "AWS Wavelength", "AWS Dedicated Local Zones", "AWS European Sovereign Cloud"},
		concepts: []string{"digital sovereignty", "data residency", "low-latency edge applications", "regional expansion"},
		aspects:  []string{"regulatory requirements", "latency", "operational control", "data locality"},
		topics:   []string{"Global Infrastructure", "Compliance", "Hybrid Cloud & Multicloud"},
		roles:    []string{"IT Executive", "Solution / Systems Architect"},
	},
	{
		prefix: "GPSBUS", track: "Partners", domain: "the partner business", weight: 2, home: "Caesars Forum",
		services: []string{"AWS Marketplace", "AWS Partner Network", "AWS Partner Central", "AWS Marketplace Vendor Insights"},
		concepts: []string{"co-selling with AWS", "marketplace go-to-market strategies", "partner-led migrations", "generative AI practices for partners", "managed services offerings"},
		aspects:  []string{"pipeline growth", "private offers", "funding programs", "solution positioning"},
		topics:   []string{"Partners", "Business Strategy"},
		roles:    []string{"Business Executive", "Sales / Marketing"},
	},
	{
		prefix: "HYB", track: "Hybrid Cloud & Multicloud", domain: "hybrid cloud", weight: 2, home: "Wynn",
		services: []string{"AWS Outposts", "AWS Local Zones", "Amazon EKS Anywhere", "AWS Snowball Edge", "AWS Storage Gateway", "AWS Systems Manager"},
		concepts: []string{"hybrid architectures", "edge computing", "on-premises modernization", "disconnected operations", "hybrid Kubernetes"},
		aspects:  []string{"latency", "data residency", "consistent operations", "network connectivity"},
		topics:   []string{"Hybrid Cloud & Multicloud", "Compute", "Edge"},
		roles:    []string{"IT Professional / Technical Manager", "Solution / Systems Architect"},
	},
	{
		prefix: "IOT", track: "Internet of Things", domain: "the Internet of Things", weight: 2, home: "MGM Grand",
		services: []string{"AWS IoT Core", "AWS IoT Greengrass", "AWS IoT SiteWise", "AWS IoT FleetWise", "AWS IoT Device Defender", "AWS IoT TwinMaker"},
		concepts: []string{"connected products", "industrial data platforms", "device fleet management", "predictive maintenance", "connected vehicle data"},
		aspects:  []string{"device provisioning", "over-the-air updates", "edge inference", "telemetry costs"},
		topics:   []string{"Internet of Things", "Industry Solutions", "Edge"},
		roles:    []string{"Developer / Engineer", "Solution / Systems Architect"},
		extra:    []string{"Analytics"},
	},
	{
		prefix: "MAM", track: "Migration & Modernization", domain: "migration and modernization", weight: 4, home: "Caesars Forum",
		services: []string{"AWS Transform", "AWS Application Migration Service", "AWS Database Migration Service", "AWS Migration Hub", "AWS Mainframe Modernization", "AWS Schema Conversion Tool"},
		concepts: []string{"large-scale migrations", "mainframe modernization", ".NET modernization", "VMware migrations", "legacy application refactoring", "migration factories", "Windows workload modernization"},
		aspects:  []string{"portfolio assessment", "wave planning", "cutover", "licensing", "testing"},
		topics:   []string{"Migration & Modernization", "Generative AI"},
		roles:    []string{"IT Executive", "Solution / Systems Architect", "IT Professional / Technical Manager"},
	},
	{
		prefix: "NET", track: "Networking & Content Delivery", domain: "networking", weight: 4, home: "Encore",
		services: []string{"Amazon VPC", "AWS Transit Gateway", "AWS Cloud WAN", "AWS Direct Connect", "Amazon CloudFront", "Amazon Route 53", "Elastic Load Balancing", "AWS PrivateLink", "Amazon VPC Lattice", "AWS Global Accelerator"},
		concepts: []string{"global network architectures", "IPv6 adoption", "service-to-service connectivity", "content delivery at scale", "hybrid connectivity", "network segmentation", "DNS resolution strategies"},
		aspects:  []string{"routing", "inspection", "IP address management", "throughput", "observability"},
		topics:   []string{"Networking & Content Delivery", "Architecture", "Security & Identity"},
		roles:    []string{"Solution / Systems Architect", "IT Professional / Technical Manager"},
	},
	{
		prefix: "OPN", track: "Open Source", domain: "open source", weight: 2, home: "Venetian",
		services: []string{"Amazon OpenSearch Service", "Amazon Managed Service for Prometheus", "Amazon Managed Grafana", "AWS Distro for OpenTelemetry", "Amazon ElastiCache for Valkey", "Amazon EKS"},
		concepts: []string{"open source observability", "Valkey adoption", "OpenTelemetry instrumentation", "contributing to open source", "open source security"},
		aspects:  []string{"governance", "licensing", "community health", "upstream contributions"},
		topics:   []string{"Open Source", "Observability"},
		roles:    []string{"Developer / Engineer", "DevOps Engineer"},
	},
	{
		prefix: "PEX", track: "Partners", domain: "partner solutions", weight: 1, home: "Caesars Forum",
		services: []string{"AWS Partner Network", "AWS Marketplace", "AWS Partner Central"},
		concepts: []string{"partner solution architectures", "software-as-a-service listings", "partner technical enablement"},
		aspects:  []string{"validation", "technical reviews", "customer references"},
		topics:   []string{"Partners"},
		roles:    []string{"Sales / Marketing", "Solution / Systems Architect"},
	},
	{
		prefix: "SEC", track: "Security & Identity", domain: "cloud security", weight: 7, home: "MGM Grand",
		services: []string{"AWS Identity and Access Management (IAM)", "Amazon GuardDuty", "AWS Security Hub", "AWS Key Management Service (AWS KMS)", "AWS WAF", "AWS Shield", "AWS Secrets Manager", "AWS IAM Identity Center", "Amazon Inspector", "Amazon Verified Permissions", "Amazon Detective", "AWS Network Firewall", "Amazon Macie"},
		concepts: []string{"least-privilege access", "threat detection and response", "data protection strategies", "zero trust architectures", "securing generative AI", "identity federation", "vulnerability management", "DDoS resiliency", "security automation", "secrets management"},
		aspects:  []string{"permission guardrails", "encryption", "detection engineering", "incident response", "audit readiness"},
		topics:   []string{"Security & Identity", "Compliance", "Generative AI"},
		roles:    []string{"Security Professional", "Solution / Systems Architect", "DevOps Engineer", "IT Executive"},
		extra:    []string{"Cloud Operations"},
	},
	{
		prefix: "SEG", track: "Enterprise Strategy", domain: "enterprise strategy", weight: 1, home: "Wynn",
		services: []string{"AWS Cloud Adoption Framework", "AWS Professional Services", "Amazon Q Business"},
		concepts: []string{"cloud transformation", "AI adoption strategies", "operating model change", "cloud center of excellence"},
		aspects:  []string{"executive alignment", "talent", "value realization", "change management"},
		topics:   []string{"Business Strategy", "Generative AI"},
		roles:    []string{"IT Executive", "Business Executive"},
	},
	{
		prefix: "SPL", track: "Spatial Computing", domain: "spatial computing", weight: 1, home: "Venetian",
		services: []string{"AWS Deadline Cloud", "Amazon GameLift Servers", "AWS IoT TwinMaker", "Amazon Location Service"},
		concepts: []string{"digital twins", "3D content pipelines", "immersive experiences", "geospatial applications"},
		aspects:  []string{"rendering", "asset management", "latency", "scaling"},
		topics:   []string{"Spatial Computing", "Media & Entertainment"},
		roles:    []string{"Developer / Engineer", "Solution / Systems Architect"},
	},
	{
		prefix: "STG", track: "Storage", domain: "storage", weight: 4, home: "Encore",
		services: []string{"Amazon S3", "Amazon EBS", "Amazon EFS", "Amazon FSx for NetApp ONTAP", "Amazon FSx for Lustre", "AWS Backup", "AWS DataSync", "Amazon S3 Glacier", "AWS Elastic Disaster Recovery", "Amazon S3 Vectors"},
		concepts: []string{"data lakes on Amazon S3", "backup and recovery strategies", "file storage for AI training", "storage cost optimization", "ransomware recovery", "block storage performance"},
		aspects:  []string{"storage classes", "replication", "lifecycle policies", "throughput", "immutability"},
		topics:   []string{"Storage", "Resilience", "Cost Optimization"},
		roles:    []string{"IT Professional / Technical Manager", "Solution / Systems Architect"},
	},
	{
		prefix: "STP", track: "Startups", domain: "startups", weight: 2, home: "Venetian",
		services: []string{"AWS Activate", "Amazon Bedrock", "AWS Lambda", "Amazon Aurora"},
		concepts: []string{"startup architectures", "scaling from zero to product-market fit", "fundraising with AI-native products", "startup security foundations"},
		aspects:  []string{"burn rate", "technical debt", "hiring", "speed"},
		topics:   []string{"Startups", "Generative AI"},
		roles:    []string{"Entrepreneur (Founder/Co-founder)", "Developer / Engineer"},
	},
	{
		prefix: "SUS", track: "Sustainability", domain: "sustainability", weight: 1, home: "Venetian",
		services: []string{"AWS Customer Carbon Footprint Tool", "AWS Graviton", "Amazon EC2", "Amazon S3"},
		concepts: []string{"sustainable architectures", "carbon-aware computing", "energy-efficient workloads"},
		aspects:  []string{"measurement", "reporting", "efficiency", "data storage"},
		topics:   []string{"Sustainability", "Cost Optimization"},
		roles:    []string{"Solution / Systems Architect", "IT Executive"},
	},
	{
		prefix: "SVS", track: "Serverless", domain: "serverless computing", weight: 4, home: "Venetian",
		services: []string{"AWS Lambda", "Amazon API Gateway", "AWS Step Functions", "Amazon EventBridge", "Amazon DynamoDB", "Amazon SQS", "AWS SAM", "AWS Lambda Powertools", "Lambda durable functions"},
		concepts: []string{"serverless APIs", "durable serverless workflows", "event-driven applications", "serverless data processing", "multi-tenant serverless SaaS", "serverless observability", "serverless applications at scale", "serverless governance"},
		aspects:  []string{"cold starts", "concurrency", "error handling", "testing", "deployment pipelines", "cost"},
		topics:   []string{"Serverless", "Architecture", "Developer Productivity"},
		roles:    []string{"Developer / Engineer", "Solution / Systems Architect", "DevOps Engineer"},
		extra:    []string{"Application Integration"},
	},
	{
		prefix: "WPS", track: "Public Sector", domain: "the public sector", weight: 2, home: "Wynn",
		services: []string{"AWS GovCloud (US)", "Amazon Bedrock", "AWS Outposts", "Amazon Connect", "AWS Secret Region"},
		concepts: []string{"digital government services", "research computing", "mission-critical workloads", "education technology platforms", "healthcare data interoperability"},
		aspects:  []string{"compliance", "procurement", "data sovereignty", "citizen experience"},
		topics:   []string{"Public Sector", "Compliance", "Generative AI"},
		roles:    []string{"IT Executive", "Solution / Systems Architect", "Academic / Researcher"},
	},
	{
		prefix: "KUB", track: "Kubernetes", domain: "Kubernetes", weight: 2, home: "MGM Grand",
		services: []string{"Amazon EKS", "Amazon EKS Auto Mode", "Karpenter", "Amazon EKS Pod Identity", "AWS Fargate"},
		concepts: []string{"Kubernetes cluster operations", "multi-cluster management", "Kubernetes upgrades", "AI workloads on Kubernetes", "Kubernetes cost efficiency", "GitOps delivery"},
		aspects:  []string{"node provisioning", "upgrades", "networking", "observability", "tenancy"},
		topics:   []string{"Kubernetes", "Containers", "Open Source"},
		roles:    []string{"DevOps Engineer", "Developer / Engineer", "Solution / Systems Architect"},
		extra:    []string{"Containers"},
	},
}

var industries = []string{
	"Cross-Industry", "Financial Services", "Healthcare & Life Sciences", "Media & Entertainment",
	"Retail & Consumer Goods", "Automotive", "Manufacturing & Industrial", "Public Sector",
	"Telecommunications", "Energy & Utilities", "Games", "Travel & Hospitality",
	"Software & Internet", "Education", "Nonprofit", "Aerospace & Satellite",
}

// Fictional customers, as AWS documentation names them.
var companies = []string{
	"AnyCompany", "AnyCompany Financial", "Example Corp", "Octank", "AnyCompany Retail",
	"AnyCompany Health", "Example Airlines", "AnyCompany Games", "Octank Media",
	"AnyCompany Motors", "Example Bank", "AnyCompany Energy", "Example Logistics",
	"AnyCompany Insurance", "Octank Telecom",
}

var outcomes = []string{
	"scaled to millions of users", "cut infrastructure costs by 40%", "modernized its core platform",
	"reduced latency by 60%", "migrated 2,000 applications", "doubled release frequency",
	"built a real-time data platform", "improved resilience", "shipped generative AI to production",
	"cut incident response time in half",
}

var benefits = []string{
	"reduce operational overhead", "improve reliability", "scale with demand", "lower costs",
	"move faster with less risk", "meet compliance requirements", "improve developer productivity",
	"get insights from your data faster", "deliver better customer experiences", "simplify operations",
}

var firstNames = []string{
	"Aiko", "Amara", "Ana", "Andre", "Anika", "Arjun", "Beatriz", "Ben", "Carla", "Chen",
	"Chidi", "Clara", "Daniel", "Dario", "Devon", "Elena", "Emeka", "Esther", "Fatima", "Felix",
	"Gabriel", "Hana", "Hiro", "Ines", "Isaac", "Jana", "Javier", "Jonas", "Kai", "Kavya",
	"Keanu", "Lena", "Liam", "Lucia", "Malik", "Maren", "Mateo", "Mei", "Nadia", "Naveen",
	"Nia", "Noah", "Olga", "Omar", "Pablo", "Priya", "Quinn", "Rafael", "Rania", "Rohan",
	"Sakura", "Samira", "Sara", "Sven", "Tariq", "Tessa", "Tomas", "Uma", "Victor", "Wen",
	"Yara", "Yusuf", "Zoe", "Zhen",
}

var lastNames = []string{
	"Abara", "Alvarez", "Andersen", "Bauer", "Bianchi", "Brennan", "Castillo", "Chandra", "Costa", "Dahl",
	"Delacroix", "Duarte", "Eriksen", "Farouk", "Fischer", "Fontaine", "Gallagher", "Haddad", "Hartmann", "Holm",
	"Ibarra", "Iyer", "Jansen", "Kapoor", "Kato", "Keller", "Kowalski", "Lindqvist", "Lopes", "Marsh",
	"Mendoza", "Moreau", "Nakamura", "Novak", "Okafor", "Olsen", "Park", "Petrov", "Quintero", "Rahman",
	"Reyes", "Rossi", "Sato", "Schmidt", "Silva", "Sokolov", "Tanaka", "Tran", "Ueda", "Varga",
	"Vasquez", "Wagner", "Whitfield", "Xu", "Yamamoto", "Yilmaz", "Zamora", "Zeller",
}

// Venues and their rooms: the six 2026 venues. Venue names have no leading
// "The". Rooms are written as the AWS Events API writes them after the
// venue, segments joined by " | ": the level first at the Venetian, MGM
// Grand, Caesars Forum and Caesars Palace. Wynn rooms are named after wines
// and Encore rooms after composers (or are the Encore Ballroom), the words
// catalog.PlaceVenue tells the two buildings apart by.
var venueNames = []string{"Venetian", "Wynn", "Encore", "Caesars Forum", "MGM Grand", "Caesars Palace"}

var venueRooms = map[string][]string{
	"Venetian": {
		"Level 2 | Titian 2201A", "Level 2 | Titian 2205", "Level 3 | Lido 3001A", "Level 3 | Lido 3001B",
		"Level 3 | Lido 3002", "Level 3 | Lido 3003", "Level 3 | Lido 3004", "Level 3 | Lido 3005",
		"Level 3 | Lido 3006", "Level 3 | Murano 3201A", "Level 3 | Murano 3303", "Level 3 | San Polo 3401",
		"Level 3 | San Polo 3403", "Level 3 | San Polo 3501A", "Level 4 | Delfino 4001A", "Level 4 | Delfino 4002",
		"Level 4 | Delfino 4005", "Level 4 | Lando 4201B", "Level 4 | Lando 4205", "Level 4 | Marcello 4401A",
		"Level 4 | Marcello 4405", "Level 5 | Palazzo B", "Level 5 | Palazzo D", "Level 5 | Palazzo F",
		"Level 5 | Palazzo I", "Level 5 | Palazzo L",
	},
	"Wynn": {
		"Convention Promenade | Latour 1", "Convention Promenade | Latour 2", "Convention Promenade | Latour 3",
		"Convention Promenade | Latour 4", "Convention Promenade | Latour 5", "Convention Promenade | Bollinger",
		"Convention Promenade | Cristal 1", "Convention Promenade | Cristal 2", "Convention Promenade | Montrachet 1",
		"Convention Promenade | Montrachet 2", "Level 1 | Lafite 1", "Level 1 | Lafite 2", "Level 1 | Lafite 3",
		"Level 1 | Lafite 4", "Level 1 | Lafite 5", "Level 1 | Lafite 7", "Level 1 | Margaux 1",
		"Level 1 | Margaux 2", "Level 1 | La Tache 1", "Level 1 | La Tache 2", "Level 1 | Mouton",
		"Level 1 | Castillon 1", "Level 1 | Castillon 2", "Level 1 | Fleurie", "Level 1 | Meursault",
	},
	"Encore": {
		"Level 1 | Encore Ballroom A", "Level 1 | Encore Ballroom B", "Level 1 | Encore Ballroom C",
		"Level 1 | Encore Ballroom D", "Level 1 | Brahms 1", "Level 1 | Brahms 2", "Level 1 | Chopin 1",
		"Level 1 | Chopin 2", "Level 1 | Chopin 3", "Level 1 | Debussy 1", "Level 1 | Debussy 2",
		"Level 2 | Mozart 1", "Level 2 | Mozart 2", "Level 2 | Mozart 3", "Level 2 | Ravel 1",
		"Level 2 | Ravel 2", "Level 2 | Beethoven 1", "Level 2 | Beethoven 2", "Level 2 | Beethoven 3",
		"Level 2 | Beethoven 4",
	},
	"Caesars Forum": {
		"Level 1 | Academy 411", "Level 1 | Academy 412", "Level 1 | Academy 413", "Level 1 | Academy 415",
		"Level 1 | Forum 101", "Level 1 | Forum 105", "Level 1 | Forum 108", "Level 1 | Forum 112",
		"Level 1 | Forum 115", "Level 1 | Forum 119", "Level 1 | Forum 122", "Level 1 | Forum 124",
		"Level 1 | Forum 129", "Level 2 | Summit 221", "Level 2 | Summit 222", "Level 2 | Summit 232",
		"Level 3 | Alliance 305", "Level 3 | Alliance 306", "Level 3 | Alliance 310", "Level 3 | Alliance 313",
	},
	"MGM Grand": {
		"Level 1 | Room 113", "Level 1 | Room 114", "Level 1 | Room 115", "Level 1 | Room 116",
		"Level 1 | Room 118", "Level 1 | Room 119", "Level 1 | Room 120", "Level 1 | Room 121",
		"Level 1 | Grand Ballroom 122", "Level 1 | Grand Ballroom 123", "Level 1 | Grand Ballroom 125",
		"Level 3 | Premier 309", "Level 3 | Premier 312", "Level 3 | Premier 316", "Level 3 | Premier 318",
		"Level 3 | Chairman's 358", "Level 3 | Chairman's 362",
	},
	"Caesars Palace": {
		"Level 2 | Palace Ballroom 1", "Level 2 | Palace Ballroom 2", "Level 2 | Palace Ballroom 3",
		"Level 2 | Augustus 1", "Level 2 | Augustus 2", "Level 2 | Augustus 3", "Level 2 | Augustus 4",
		"Level 2 | Octavius 1", "Level 2 | Octavius 2", "Level 3 | Florentine A", "Level 3 | Florentine B",
		"Level 3 | Florentine C", "Level 3 | Florentine D", "Level 3 | Milano 1", "Level 3 | Milano 2",
		"Level 3 | Milano 3", "Level 3 | Milano 4", "Level 4 | Pompeian 1", "Level 4 | Pompeian 2",
		"Level 4 | Roman 1",
	},
}

// Rooms in the Venetian expo hall, used by lightning talks and dev chats.
var expoRooms = []string{
	"Level 2 | Expo Hall | Lightning Theater 1", "Level 2 | Expo Hall | Lightning Theater 2",
	"Level 2 | Expo Hall | Lightning Theater 3", "Level 2 | Expo Hall | Developer Lounge Stage 1",
	"Level 2 | Expo Hall | Developer Lounge Stage 2",
}

const (
	keynoteRoom = "Level 2 | Hall D"
	jamRoom     = "Level 2 | Expo Hall | AWS Jam Lounge"
	labsRoom    = "Level 3 | Alliance 314 | Self-Paced Labs"
)

var gameDayNames = []string{
	"Unicorn Rentals Rescue", "The Great Agentic Race", "Resilience Rumble", "Cost Crunch",
	"Observability Odyssey", "Container Carnival", "Data Dash", "Secure the Galaxy",
}
