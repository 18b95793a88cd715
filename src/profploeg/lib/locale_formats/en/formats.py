# English as read in Belgium: day before month everywhere ("7 February 2022", "07/02/2022"),
# so that switching the language never turns 07/02 into July. Numbers keep the English
# decimal point and thousands comma.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
