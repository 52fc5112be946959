# The one British format for dates readers and staff see: "1 July 2023", and with
# a time, "1 July 2023, 09:00" (always in the site's local time).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
