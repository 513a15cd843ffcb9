"""Static files of the SPARQL endpoint's web page (YASGUI 4.6.2 from @zazuko/yasgui, MIT licence)."""
