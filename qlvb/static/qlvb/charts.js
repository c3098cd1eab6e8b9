// Draws the dashboard's weekly chart from the JSON block the server rendered (CSP: no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("weekly-chart");
  const source = document.getElementById("weekly-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const [received, onTime, late] = data.names;
  new window.Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "line", label: received, data: data.received, borderColor: "#0b4f8a" },
        { type: "bar", label: onTime, data: data.on_time, backgroundColor: "#198754", stack: "done" },
        { type: "bar", label: late, data: data.late, backgroundColor: "#dc3545", stack: "done" },
      ],
    },
    options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
  });
});
