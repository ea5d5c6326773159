# embed.awk - the frozen schema files as C strings: src/store/sql/vN.sql becomes
# store_sql_vN, src/store/sql/vN-vM.sql store_sql_vN_vM (see src/store/store-sql.h).
FNR == 1 {
	if (name != "")
		print ";"
	name = FILENAME
	sub(/.*\//, "", name)
	sub(/\.sql$/, "", name)
	gsub(/-/, "_", name)
	print "extern const char store_sql_" name "[];"
	print "const char store_sql_" name "[] ="
}
{
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	print "\t\"" $0 "\\n\""
}
END {
	if (name != "")
		print ";"
}
