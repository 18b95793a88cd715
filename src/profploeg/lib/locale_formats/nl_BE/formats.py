# Belgian Dutch: Django's Dutch formats (Netherlands) write short dates as 7-2-2022; in
# Belgium tables read 07/02/2022. Everything not set here falls back to Django's "nl" module
# (long dates "7 februari 2022", decimal comma, thousands point).
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '20/01/2009'
    "%d/%m/%y",  # '20/01/09'
    "%d-%m-%Y",  # '20-01-2009'
    "%d-%m-%y",  # '20-01-09'
    "%d.%m.%Y",  # '20.01.2009'
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",  # '20/01/2009 15:23:35'
    "%d/%m/%Y %H:%M",  # '20/01/2009 15:23'
    "%d/%m/%Y",  # '20/01/2009'
    "%d-%m-%Y %H:%M:%S",  # '20-01-2009 15:23:35'
    "%d-%m-%Y %H:%M",  # '20-01-2009 15:23'
    "%d-%m-%Y",  # '20-01-2009'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
