// What shows for the few milliseconds before the host has answered: the name, nothing else.
export function Splash(): React.JSX.Element {
  return (
    <main className="centre-page splash" aria-busy="true" aria-label="Wardline is starting">
      <p className="splash__name">Wardline</p>
    </main>
  );
}
