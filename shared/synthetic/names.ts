// Name lists for synthetic people. Patients' names are common-sounding but chosen to be distinctive
// strings (at least five letters, not English words or code identifiers), so a test that scans logs
// or files for a patient's name does not trip on ordinary text. Staff draw from separate lists, so a
// patient's name never appears in a Practitioner resource.

export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'Margaret', 'Dorothy', 'Eleanor', 'Patricia', 'Beatrice', 'Winifred', 'Gwendolyn', 'Harriet', 'Josephine',
  'Henrietta', 'Rosalind', 'Cordelia', 'Philippa', 'Matilda', 'Imogen', 'Florence', 'Agatha', 'Bernadette',
  'Clarissa', 'Delphine', 'Edwina', 'Felicity', 'Georgina', 'Isadora', 'Juliana', 'Katharine', 'Lavinia',
  'Marguerite', 'Natalia', 'Octavia', 'Priscilla', 'Rosamund', 'Susannah', 'Theodora', 'Ursula', 'Veronica',
  'Wilhelmina', 'Yvonne', 'Zenobia', 'Antonia', 'Bridget', 'Catriona', 'Dolores', 'Estelle', 'Francesca',
  'Gabriella', 'Hermione', 'Ingrid', 'Jacqueline', 'Lorraine', 'Maureen', 'Nadine', 'Ophelia', 'Paulina',
  'Rebecca', 'Sabrina', 'Tabitha', 'Valentina', 'Winona', 'Adelaide',
];

export const MALE_GIVEN_NAMES: readonly string[] = [
  'Harold', 'Gerald', 'Douglas', 'Cornelius', 'Reginald', 'Bartholomew', 'Ambrose', 'Clement', 'Desmond',
  'Ezekiel', 'Ferdinand', 'Gideon', 'Horatio', 'Ignatius', 'Jeremiah', 'Leopold', 'Malcolm', 'Nathaniel',
  'Oswald', 'Percival', 'Quentin', 'Rupert', 'Sebastian', 'Thaddeus', 'Vincent', 'Wilfred', 'Augustus',
  'Benedict', 'Cedric', 'Dominic', 'Edmund', 'Frederick', 'Godfrey', 'Humphrey', 'Isidore', 'Jasper',
  'Lionel', 'Montgomery', 'Orlando', 'Phineas', 'Roderick', 'Tobias', 'Ulysses', 'Wallace', 'Alistair',
  'Barnaby', 'Crispin', 'Duncan', 'Fergus', 'Gregory', 'Hamish', 'Lucian', 'Magnus', 'Norbert', 'Oliver',
  'Randolph', 'Stanley', 'Terence', 'Wendell', 'Emmanuel',
];

export const FAMILY_NAMES: readonly string[] = [
  'Abernathy', 'Blackwood', 'Castellano', 'Delacroix', 'Ellsworth', 'Fairweather', 'Galloway', 'Hargreaves',
  'Ingleby', 'Jorgensen', 'Kowalczyk', 'Lindqvist', 'Montague', 'Nakamura', 'Okonkwo', 'Pemberton',
  'Quisenberry', 'Santangelo', 'Thistlewood', 'Underhill', 'Vasquez', 'Whitfield', 'Yamamoto', 'Zielinski',
  'Ashworth', 'Bellamy', 'Cavanagh', 'Donnelly', 'Etherington', 'Fitzgerald', 'Gallagher', 'Holloway',
  'Iredale', 'Jablonski', 'Kingsley', 'Lancaster', 'McAllister', 'Prendergast', 'Quigley', 'Radcliffe',
  'Sutherland', 'Trevelyan', 'Vandermeer', 'Wetherby', 'Yardley', 'Zimmerman', 'Albrecht', 'Brennan',
  'Coughlin', 'Dunleavy', 'Eriksen', 'Fairbanks', 'Gustafsson', 'Hawthorne', 'Jankowski', 'Kavanagh',
  'Lachance', 'Marchetti', 'Oyelaran', 'Pettigrew', 'Ramirez', 'Schaefer', 'Tanaka', 'Urquhart',
  'Winterbottom', 'Yilmaz', 'Zapata', 'Archibald', 'Bancroft', 'Carmichael', 'Drummond', 'Eastwood',
  'Forsythe', 'Grimshaw', 'Hollingsworth', 'Adeyemi', 'Chaudhry', 'Delgado', 'Fonseca', 'Ferreira',
];

export const STAFF_GIVEN_NAMES: readonly string[] = [
  'Aisha', 'Bruno', 'Chiara', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiroshi', 'Ines', 'Jonas', 'Kiri',
  'Lars', 'Mei', 'Nikhil', 'Olga', 'Pavel', 'Rania', 'Soren', 'Tariq', 'Uma', 'Vera', 'Wen', 'Yara', 'Zoltan',
];

export const STAFF_FAMILY_NAMES: readonly string[] = [
  'Achebe', 'Bergstrom', 'Chen', 'Dasgupta', 'Eklund', 'Fischer', 'Gonzaga', 'Horvath', 'Iqbal', 'Jensen',
  'Kaur', 'Larsen', 'Mensah', 'Nilsson', 'Osei', 'Patel', 'Quist', 'Rossi', 'Singh', 'Toivonen', 'Ueda',
  'Varga', 'Wojcik', 'Yusuf', 'Zhou',
];
