"""Cases: reports, intake paths, panels and conflicts, decisions, sanctions, appeals."""
