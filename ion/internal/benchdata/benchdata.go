// Package benchdata generates the Kestra-shaped Ion text file the ion
// package's benchmarks read: rows of 17 fields as Kestra writes query results
// (ints, JDBC decimals, strings, nulls, day and millisecond timestamps,
// LocalDateTime-annotated strings, booleans, floats and sometimes a nested
// list or struct), one struct per line. The output is deterministic.
package benchdata

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// DefaultRows is the size of the benchmark file `make bench` generates
// (about 78 MB).
const DefaultRows = 200_000

var (
	firstNames = []string{"Steven", "Neena", "Lex", "Alexander", "Bruce", "David", "Valli", "Diana",
		"Nancy", "Daniel", "John", "Ismael", "José Manuel", "Luis", "Den", "Shelli", "Zoë", "Björn"}
	lastNames = []string{"King", "Kochhar", "De Haan", "Hunold", "Ernst", "Austin", "Pataballa",
		"Lorentz", "Greenberg", "Faviet", "Chen", "Sciarra", "Urman", "Popp", "Raphaely", "Müller"}
	jobs     = []string{"AD_PRES", "AD_VP", "IT_PROG", "FI_MGR", "FI_ACCOUNT", "PU_MAN", "PU_CLERK", "SA_MAN", "SA_REP"}
	comments = []string{
		"Reviewed by the regional office.",
		"Moved from Paris, see \\\"HR-1042\\\".",
		"Bonus program (level 2).",
		"Remote on Fridays.",
		"Renewed — review in 12 months.",
		"",
	}
	tags = []string{"remote", "senior", "onboarding", "mentor", "contractor", "part-time"}
)

// Row is the shape of the rows Write writes, for decoding into a struct.
type Row struct {
	ID            int64     `ion:"id"`
	EmployeeID    int64     `ion:"employee_id"`
	FirstName     string    `ion:"first_name"`
	LastName      string    `ion:"last_name"`
	Email         string    `ion:"email"`
	PhoneNumber   string    `ion:"phone_number"`
	HireDate      time.Time `ion:"hire_date"`
	JobID         string    `ion:"job_id"`
	Salary        float64   `ion:"salary"`
	CommissionPct *float64  `ion:"commission_pct"`
	ManagerID     *int64    `ion:"manager_id"`
	DepartmentID  int64     `ion:"department_id"`
	Active        bool      `ion:"active"`
	CreatedAt     time.Time `ion:"created_at"`
	UpdatedAt     time.Time `ion:"updated_at"`
	Comment       string    `ion:"comment"`
	Details       any       `ion:"details"`
}

// Write writes n rows to w.
func Write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewPCG(4, 2024))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		hire := time.Date(1985+r.IntN(35), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		created := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))).Truncate(time.Millisecond))
		updated := created.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))).Truncate(10 * time.Millisecond))
		fmt.Fprintf(bw, `{id:%d,employee_id:%d.000000,first_name:"%s",last_name:"%s",email:"%c%s%d",`,
			i+1, 100+i, first, last, first[0], strings.ToUpper(last), i)
		fmt.Fprintf(bw, `phone_number:"515.%03d.%04d",hire_date:%s,job_id:"%s",salary:%d.000000,`,
			r.IntN(1000), r.IntN(10000), hire.Format("2006-01-02"), jobs[r.IntN(len(jobs))], 2000+r.IntN(22000))
		if r.IntN(3) == 0 {
			fmt.Fprintf(bw, "commission_pct:0.%02d0000,", 5+r.IntN(35))
		} else {
			bw.WriteString("commission_pct:null,")
		}
		if i%50 == 0 {
			bw.WriteString("manager_id:null,")
		} else {
			fmt.Fprintf(bw, "manager_id:%d.000000,", 100+r.IntN(50))
		}
		fmt.Fprintf(bw, `department_id:%d.000000,active:%t,created_at:%s,updated_at:LocalDateTime::"%s",`,
			10*(1+r.IntN(11)), r.IntN(5) != 0,
			created.Format("2006-01-02T15:04:05.000Z"), updated.Format("2006-01-02T15:04:05.999999999"))
		fmt.Fprintf(bw, `comment:"%s",`, comments[r.IntN(len(comments))])
		switch r.IntN(4) {
		case 0:
			bw.WriteString("details:null}\n")
		case 1:
			fmt.Fprintf(bw, "details:[\"%s\",\"%s\"]}\n", tags[r.IntN(len(tags))], tags[r.IntN(len(tags))])
		default:
			fmt.Fprintf(bw, "details:{level:%d,score:%d.%02de0,tags:[\"%s\"]}}\n",
				r.IntN(5), r.IntN(100), r.IntN(100), tags[r.IntN(len(tags))])
		}
	}
	return bw.Flush()
}
