from proctorprep.cli import main

raise SystemExit(main())
