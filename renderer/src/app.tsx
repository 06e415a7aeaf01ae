// The application shell. Until the screens land it shows which host it is connected to.
export function App() {
  return (
    <main aria-labelledby="title">
      <h1 id="title">Wardline</h1>
      <p>Clinical workstation: waiting for the host.</p>
    </main>
  );
}
